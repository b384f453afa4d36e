/* The "authentication" function, shared by the ABI 1 and the WASI (ABI 2) builds. */
#ifndef EXP_AUTH_H
#define EXP_AUTH_H

#include <stddef.h>

/* Output never exceeds input length + this (the secret is re-escaped, which never grows it). */
#define AUTH_OUTPUT_SLACK 256

/*
 * args: JSON object with arg_uri, arg_body, arg_secret (missing keys = empty strings).
 * hash = lowercase hex md5("<arg_uri>#<arg_body>#argfunc").
 * Writes the JSON response into out (capacity cap) and returns its length.
 */
size_t auth_respond(const char *json, size_t len, char *out, size_t cap);

#endif
