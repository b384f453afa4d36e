/* MD5 (RFC 1321), streaming, no libc. */
#ifndef EXP_MD5_H
#define EXP_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[4];
    uint64_t total;        /* bytes hashed so far */
    unsigned char block[64];
    size_t used;           /* bytes pending in block */
} md5_ctx;

void md5_init(md5_ctx *c);
void md5_update(md5_ctx *c, const void *data, size_t n);
void md5_byte(md5_ctx *c, unsigned char b);
void md5_final(md5_ctx *c, unsigned char digest[16]);
/* Final digest as 32 lowercase hex characters (not NUL-terminated). */
void md5_final_hex(md5_ctx *c, char hex[32]);

#endif
