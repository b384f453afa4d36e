#include "json.h"

typedef struct {
    const unsigned char *p, *end;
} cursor;

static void skip_ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int hexval(unsigned char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Reads 4 hex digits at p (caller guarantees 4 bytes available); -1 if not hex. */
static long hex4(const unsigned char *p) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0) return -1;
        v = (v << 4) | h;
    }
    return v;
}

/* Parses a string starting at the opening quote; validates escapes. 1 ok, 0 malformed. */
static int parse_string(cursor *c, json_str *out) {
    if (c->p >= c->end || *c->p != '"') return 0;
    const unsigned char *start = ++c->p;
    while (c->p < c->end) {
        unsigned char ch = *c->p;
        if (ch == '"') {
            out->p = start;
            out->n = (size_t)(c->p - start);
            c->p++;
            return 1;
        }
        if (ch < 0x20) return 0; /* raw control characters are not allowed */
        if (ch == '\\') {
            if (c->end - c->p < 2) return 0;
            unsigned char e = c->p[1];
            if (e == 'u') {
                if (c->end - c->p < 6 || hex4(c->p + 2) < 0) return 0;
                c->p += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                       e == 'r' || e == 't') {
                c->p += 2;
            } else {
                return 0;
            }
        } else {
            c->p++;
        }
    }
    return 0; /* unterminated */
}

static int key_equals(json_str k, const char *key, size_t keylen) {
    json_iter it;
    json_iter_init(&it, k);
    size_t i = 0;
    int b;
    while ((b = json_iter_next(&it)) >= 0) {
        if (i >= keylen || (unsigned char)key[i] != (unsigned char)b) return 0;
        i++;
    }
    return i == keylen;
}

int json_find(const char *json, size_t len, const char *key, size_t keylen, json_str *val) {
    cursor c = {(const unsigned char *)json, (const unsigned char *)json + len};
    int found = 0;
    skip_ws(&c);
    if (c.p >= c.end || *c.p != '{') return -1;
    c.p++;
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            json_str k, v;
            skip_ws(&c);
            if (!parse_string(&c, &k)) return -1;
            skip_ws(&c);
            if (c.p >= c.end || *c.p != ':') return -1;
            c.p++;
            skip_ws(&c);
            if (!parse_string(&c, &v)) return -1;
            if (key_equals(k, key, keylen)) {
                *val = v;
                found = 1;
            }
            skip_ws(&c);
            if (c.p >= c.end) return -1;
            if (*c.p == ',') {
                c.p++;
                continue;
            }
            if (*c.p == '}') {
                c.p++;
                break;
            }
            return -1;
        }
    }
    skip_ws(&c);
    if (c.p != c.end) return -1; /* trailing garbage */
    return found;
}

void json_iter_init(json_iter *it, json_str s) {
    it->p = s.p;
    it->end = s.p + s.n;
    it->npend = it->ipend = 0;
}

static void push_utf8(json_iter *it, unsigned long cp) {
    it->ipend = 0;
    if (cp < 0x80) {
        it->pend[0] = (unsigned char)cp;
        it->npend = 1;
    } else if (cp < 0x800) {
        it->pend[0] = (unsigned char)(0xC0 | (cp >> 6));
        it->pend[1] = (unsigned char)(0x80 | (cp & 0x3F));
        it->npend = 2;
    } else if (cp < 0x10000) {
        it->pend[0] = (unsigned char)(0xE0 | (cp >> 12));
        it->pend[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        it->pend[2] = (unsigned char)(0x80 | (cp & 0x3F));
        it->npend = 3;
    } else {
        it->pend[0] = (unsigned char)(0xF0 | (cp >> 18));
        it->pend[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        it->pend[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        it->pend[3] = (unsigned char)(0x80 | (cp & 0x3F));
        it->npend = 4;
    }
}

/* The string was validated by parse_string, so escapes are well-formed here. */
int json_iter_next(json_iter *it) {
    if (it->ipend < it->npend) return it->pend[it->ipend++];
    if (it->p >= it->end) return -1;
    unsigned char ch = *it->p++;
    if (ch != '\\') return ch;
    unsigned char e = *it->p++;
    switch (e) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'u': break;
    default: return e; /* '"', '\\', '/' */
    }
    unsigned long cp = (unsigned long)hex4(it->p);
    it->p += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        /* high surrogate: combine with a following low surrogate, else U+FFFD */
        if (it->end - it->p >= 6 && it->p[0] == '\\' && it->p[1] == 'u') {
            long lo = hex4(it->p + 2);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                it->p += 6;
            } else {
                cp = 0xFFFD;
            }
        } else {
            cp = 0xFFFD;
        }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = 0xFFFD; /* lone low surrogate */
    }
    push_utf8(it, cp);
    return it->pend[it->ipend++];
}

size_t json_decode(json_str s, char *out) {
    json_iter it;
    json_iter_init(&it, s);
    size_t n = 0;
    int b;
    while ((b = json_iter_next(&it)) >= 0) out[n++] = (char)b;
    return n;
}

size_t json_escape(json_str s, char *out, size_t cap) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    json_iter it;
    json_iter_init(&it, s);
    int b;
    while ((b = json_iter_next(&it)) >= 0) {
        unsigned char ch = (unsigned char)b;
        char esc = 0;
        switch (ch) {
        case '"': esc = '"'; break;
        case '\\': esc = '\\'; break;
        case '\b': esc = 'b'; break;
        case '\f': esc = 'f'; break;
        case '\n': esc = 'n'; break;
        case '\r': esc = 'r'; break;
        case '\t': esc = 't'; break;
        default: break;
        }
        if (esc) {
            if (cap - o < 2) break;
            out[o++] = '\\';
            out[o++] = esc;
        } else if (ch < 0x20) {
            if (cap - o < 6) break;
            out[o++] = '\\';
            out[o++] = 'u';
            out[o++] = '0';
            out[o++] = '0';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        } else {
            if (cap - o < 1) break;
            out[o++] = (char)ch;
        }
    }
    return o;
}
