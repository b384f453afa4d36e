#include "auth.h"
#include "json.h"
#include "md5.h"

typedef struct {
    char *p;
    size_t n, cap;
} writer;

static void put(writer *w, const char *s) {
    while (*s && w->n < w->cap) w->p[w->n++] = *s++;
}

static void put_n(writer *w, const char *s, size_t n) {
    for (size_t i = 0; i < n && w->n < w->cap; i++) w->p[w->n++] = s[i];
}

static const json_str EMPTY = {0, 0};

/* 1 found, 0 absent (-> empty string), -1 malformed input */
static int lookup(const char *json, size_t len, const char *key, json_str *out) {
    size_t klen = 0;
    while (key[klen]) klen++;
    *out = EMPTY;
    return json_find(json, len, key, klen, out);
}

static void hash_value(md5_ctx *m, json_str s) {
    json_iter it;
    json_iter_init(&it, s);
    int b;
    while ((b = json_iter_next(&it)) >= 0) md5_byte(m, (unsigned char)b);
}

static int secret_matches(json_str secret, const char hex[32]) {
    json_iter it;
    json_iter_init(&it, secret);
    int b, i = 0;
    while ((b = json_iter_next(&it)) >= 0) {
        if (i >= 32 || b != (unsigned char)hex[i]) return 0;
        i++;
    }
    return i == 32;
}

size_t auth_respond(const char *json, size_t len, char *out, size_t cap) {
    writer w = {out, 0, cap};
    json_str uri, body, secret;
    if (lookup(json, len, "arg_uri", &uri) < 0 || lookup(json, len, "arg_body", &body) < 0 ||
        lookup(json, len, "arg_secret", &secret) < 0) {
        put(&w, "{\"status\":\"400\",\"body\":\"<html><h1>Bad Request!</h1>"
                "<p>args must be a flat JSON object of strings</p></html>\"}");
        return w.n;
    }

    md5_ctx m;
    md5_init(&m);
    hash_value(&m, uri);
    md5_byte(&m, '#');
    hash_value(&m, body);
    md5_update(&m, "#argfunc", 8);
    char hex[32];
    md5_final_hex(&m, hex);

    if (secret_matches(secret, hex)) {
        put(&w, "{\"status\":\"200\",\"body\":\"<html><h1>Auth Success!</h1><p>hash ");
        put_n(&w, hex, 32);
        put(&w, "</p></html>\"}");
    } else {
        put(&w, "{\"status\":\"403\",\"body\":\"<html><h1>Auth Forbidden!</h1><p>hash ");
        put_n(&w, hex, 32);
        put(&w, " secret ");
        w.n += json_escape(secret, w.p + w.n, w.cap - w.n);
        put(&w, "</p></html>\"}");
    }
    return w.n;
}
