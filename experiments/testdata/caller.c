/*
 * caller (WASI command test guest, imports wasmengine.call / call_output):
 * {"target":"<function>","input":"<json text>"} calls target with the decoded input
 * (default "{}") and prints "ok <output>" or "error <code>" (code < 0), exit code 0 either
 * way. The callee's output is printed byte for byte (a newline is appended and stripped
 * again by the host, so a callee output ending in "\n" keeps it). Args without a string
 * "target" (or not a flat JSON object of strings) -> message on stderr, exit code 1.
 */
#include <stdint.h>

#include "decimal.h"
#include "json.h"
#include "wasi_io.h"
#include "wasmengine.h"

int main(void) {
    const char *args = wasi_args_json();
    size_t len = args ? strlen(args) : 0;
    json_str target, in = {(const unsigned char *)"{}", 2};
    if (!args || json_find(args, len, "target", 6, &target) != 1 || json_find(args, len, "input", 5, &in) < 0) {
        write_str(2, "caller: args must be {\"target\":\"<function>\",\"input\":\"<json text>\"}\n");
        return 1;
    }
    char *name = malloc(target.n + 1), *arg = malloc(in.n + 1);
    if (!name || !arg) return 1;
    size_t name_len = json_decode(target, name), arg_len = json_decode(in, arg);

    char line[24];
    int32_t r = wasmengine_call(name, (int32_t)name_len, arg, (int32_t)arg_len);
    char *out = 0;
    if (r >= 0) { /* r is the output length: fetch all of it */
        out = malloc((size_t)r + 1);
        if (!out) return 1;
        r = wasmengine_call_output(out, r);
    }
    if (r < 0) {
        size_t n = put_str(line, "error ");
        n += dec_i32(r, line + n);
        line[n++] = '\n';
        return write_all(1, line, n) ? 1 : 0;
    }
    if (write_str(1, "ok ") || write_all(1, out, (size_t)r) || write_str(1, "\n")) return 1;
    return 0;
}
