/*
 * Tiny reader for flat JSON objects of string -> string, e.g. {"a":"12","b":"x\n"}.
 * No allocation, no libc: usable in freestanding (ABI 1) and WASI (ABI 2) builds.
 */
#ifndef EXP_JSON_H
#define EXP_JSON_H

#include <stddef.h>

/* A validated JSON string: the raw bytes between the quotes, escapes not yet decoded. */
typedef struct {
    const unsigned char *p;
    size_t n;
} json_str;

/*
 * Looks up `key` (plain UTF-8, keylen bytes) in the object `json` (len bytes).
 * Keys are compared after unescaping. If a key occurs several times, the last one wins.
 * Returns 1 and sets *val if found, 0 if absent, -1 if the input is not a flat JSON
 * object whose values are all strings.
 */
int json_find(const char *json, size_t len, const char *key, size_t keylen, json_str *val);

/* Streaming decoder over a json_str: yields the unescaped UTF-8 bytes one by one. */
typedef struct {
    const unsigned char *p, *end;
    unsigned char pend[4];
    int npend, ipend;
} json_iter;

void json_iter_init(json_iter *it, json_str s);
/* Next decoded byte (0..255), or -1 at the end. */
int json_iter_next(json_iter *it);

/* Decodes s into out (which needs at least s.n bytes: decoding never grows). Returns length. */
size_t json_decode(json_str s, char *out);

/*
 * Writes the decoded value of s re-escaped for a JSON string (no surrounding quotes) into
 * out, at most cap bytes. Escapes '"', '\\' and control characters; every other byte
 * (including UTF-8) is copied as-is, so the result is never longer than s.n.
 * Returns the number of bytes written (stops early rather than overflow).
 */
size_t json_escape(json_str s, char *out, size_t cap);

#endif
