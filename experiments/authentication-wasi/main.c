/* authentication-wasi (WASI command): same logic as `authentication`, printed to stdout. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "wasi_io.h"

int main(void) {
    const char *json = wasi_args_json();
    if (!json) json = "{}";
    size_t len = strlen(json);
    size_t cap = len + AUTH_OUTPUT_SLACK;
    char *out = malloc(cap + 1);
    if (!out) return 1;
    size_t n = auth_respond(json, len, out, cap);
    out[n++] = '\n';
    return write_all(1, out, n) ? 1 : 0;
}
