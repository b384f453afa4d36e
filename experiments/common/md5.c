#include "md5.h"

/* K[i] = floor(|sin(i + 1)| * 2^32) */
static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
    0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
    0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
    0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
    0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Per-round left-rotation amounts, 4 per round. */
static const unsigned char S[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

static uint32_t rotl(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

static void md5_block(md5_ctx *c, const unsigned char *p) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | ((uint32_t)p[4 * i + 1] << 8) | ((uint32_t)p[4 * i + 2] << 16) |
               ((uint32_t)p[4 * i + 3] << 24);
    uint32_t a = c->state[0], b = c->state[1], cc = c->state[2], d = c->state[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        int round = i >> 4;
        if (round == 0) {
            f = (b & cc) | (~b & d);
            g = i;
        } else if (round == 1) {
            f = (d & b) | (~d & cc);
            g = (5 * i + 1) & 15;
        } else if (round == 2) {
            f = b ^ cc ^ d;
            g = (3 * i + 5) & 15;
        } else {
            f = cc ^ (b | ~d);
            g = (7 * i) & 15;
        }
        uint32_t t = d;
        d = cc;
        cc = b;
        b = b + rotl(a + f + K[i] + m[g], S[(round << 2) | (i & 3)]);
        a = t;
    }
    c->state[0] += a;
    c->state[1] += b;
    c->state[2] += cc;
    c->state[3] += d;
}

void md5_init(md5_ctx *c) {
    c->state[0] = 0x67452301;
    c->state[1] = 0xefcdab89;
    c->state[2] = 0x98badcfe;
    c->state[3] = 0x10325476;
    c->total = 0;
    c->used = 0;
}

void md5_byte(md5_ctx *c, unsigned char b) {
    c->block[c->used++] = b;
    c->total++;
    if (c->used == 64) {
        md5_block(c, c->block);
        c->used = 0;
    }
}

void md5_update(md5_ctx *c, const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    while (n > 0 && c->used != 0) {
        md5_byte(c, *p++);
        n--;
    }
    while (n >= 64) {
        md5_block(c, p);
        c->total += 64;
        p += 64;
        n -= 64;
    }
    while (n > 0) {
        md5_byte(c, *p++);
        n--;
    }
}

void md5_final(md5_ctx *c, unsigned char digest[16]) {
    uint64_t bits = c->total * 8;
    md5_byte(c, 0x80);
    while (c->used != 56) md5_byte(c, 0);
    for (int i = 0; i < 8; i++) md5_byte(c, (unsigned char)(bits >> (8 * i)));
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) digest[4 * i + j] = (unsigned char)(c->state[i] >> (8 * j));
}

void md5_final_hex(md5_ctx *c, char hex[32]) {
    static const char digits[] = "0123456789abcdef";
    unsigned char d[16];
    md5_final(c, d);
    for (int i = 0; i < 16; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
}
