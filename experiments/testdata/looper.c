/*
 * looper (WASI command test guest, imports wasmengine.call / call_output): a call chain
 * that only the engine's depth limit ends. {"self":"<its own function name>","depth":"<d>"}
 * (d defaults to 0) calls `self` with {"self":"<same, JSON-escaped>","depth":"<d+1>"}.
 * If that call succeeds, prints the callee's output unchanged; if it fails with code c,
 * prints "stopped at depth <d> with <c>". So the outermost output names the depth at which
 * the engine refused a call (and why). Missing "self" or a bad depth -> stderr, exit 1.
 */
#include <stdint.h>

#include "decimal.h"
#include "json.h"
#include "wasi_io.h"
#include "wasmengine.h"

int main(void) {
    const char *args = wasi_args_json();
    size_t len = args ? strlen(args) : 0;
    json_str self, depth;
    uint64_t d = 0;
    int has_depth = args ? json_find(args, len, "depth", 5, &depth) : -1;
    if (!args || json_find(args, len, "self", 4, &self) != 1 || has_depth < 0 ||
        (has_depth && (!json_u64(depth, &d) || d == UINT64_MAX))) {
        write_str(2, "looper: args must be {\"self\":\"<function>\",\"depth\":\"<n>\"}\n");
        return 1;
    }
    /* Decoding never grows, and re-escaping a decoded value is never longer than its source. */
    char *name = malloc(self.n + 1), *next = malloc(self.n + 64);
    if (!name || !next) return 1;
    size_t name_len = json_decode(self, name);
    size_t n = put_str(next, "{\"self\":\"");
    n += json_escape(self, next + n, self.n);
    n += put_str(next + n, "\",\"depth\":\"");
    n += dec_u64(d + 1, next + n);
    n += put_str(next + n, "\"}");

    int32_t r = wasmengine_call(name, (int32_t)name_len, next, (int32_t)n);
    char *out = 0;
    if (r >= 0) { /* r is the output length: fetch all of it */
        out = malloc((size_t)r + 1);
        if (!out) return 1;
        r = wasmengine_call_output(out, r);
    }
    if (r < 0) {
        char line[64];
        size_t k = put_str(line, "stopped at depth ");
        k += dec_u64(d, line + k);
        k += put_str(line + k, " with ");
        k += dec_i32(r, line + k);
        line[k++] = '\n';
        return write_all(1, line, k) ? 1 : 0;
    }
    if (write_all(1, out, (size_t)r) || write_str(1, "\n")) return 1;
    return 0;
}
