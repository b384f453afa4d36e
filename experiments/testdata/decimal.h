/* Decimal text <-> integers for the C test guests (freestanding: no libc needed). */
#ifndef TESTDATA_DECIMAL_H
#define TESTDATA_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

/* Writes v in decimal at out (up to 20 bytes, no terminator); returns the length. */
static inline size_t dec_u64(uint64_t v, char *out) {
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

/* Writes v in decimal with a leading '-' if negative (up to 11 bytes); returns the length. */
static inline size_t dec_i32(int32_t v, char *out) {
    if (v >= 0) return dec_u64((uint64_t)v, out);
    out[0] = '-';
    return 1 + dec_u64((uint64_t)(-(int64_t)v), out + 1);
}

/* Copies the NUL-terminated s to out; returns its length. */
static inline size_t put_str(char *out, const char *s) {
    size_t n = 0;
    while (s[n]) {
        out[n] = s[n];
        n++;
    }
    return n;
}

/*
 * Parses a JSON string value holding only decimal digits (after unescaping; no sign, no
 * spaces, at least one digit) into *v. 1 ok, 0 if malformed or above UINT64_MAX.
 */
static inline int json_u64(json_str s, uint64_t *v) {
    json_iter it;
    json_iter_init(&it, s);
    uint64_t acc = 0;
    size_t digits = 0;
    int b;
    while ((b = json_iter_next(&it)) >= 0) {
        if (b < '0' || b > '9') return 0;
        uint64_t d = (uint64_t)(b - '0');
        if (acc > (UINT64_MAX - d) / 10) return 0;
        acc = acc * 10 + d;
        digits++;
    }
    if (!digits) return 0;
    *v = acc;
    return 1;
}

#endif
