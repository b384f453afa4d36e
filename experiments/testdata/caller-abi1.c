/*
 * caller-abi1 (ABI 1 test guest, imports wasmengine.call / call_output): the ABI 1 twin of
 * `caller`. {"target":"<function>","input":"<json text>"} calls target with the decoded
 * input (default "{}") and returns "ok <output>" or "error <code>" (code < 0 from
 * wasmengine.call or call_output). Args without a string "target" ->
 * "error: args must be {\"target\":...,\"input\":...}". The decoded name, input and the
 * output are placed after the args (memory grown as needed); raw bytes of the args are
 * passed through, so a target that is not UTF-8 reaches the host as such.
 */
#include "abi1.h"
#include "decimal.h"
#include "json.h"
#include "wasmengine.h"

static const char bad_args[] = "error: args must be {\"target\":...,\"input\":...}";
static const char no_memory[] = "error: out of memory";
static char err[20];

static abi1_result error_code(int32_t code) {
    size_t n = put_str(err, "error ");
    n += dec_i32(code, err + n);
    return abi1_return(err, n);
}

ABI1_EXPORT("caller-abi1")
abi1_result caller_abi1(const char *input, size_t len) {
    json_str target, in = {(const unsigned char *)"{}", 2};
    if (json_find(input, len, "target", 6, &target) != 1 || json_find(input, len, "input", 5, &in) < 0)
        return abi1_return(bad_args, sizeof bad_args - 1);
    char *name = abi1_scratch_after(input, len, target.n);
    if (!name) return abi1_return(no_memory, sizeof no_memory - 1);
    size_t name_len = json_decode(target, name);
    char *arg = abi1_scratch_after(name, name_len, in.n);
    if (!arg) return abi1_return(no_memory, sizeof no_memory - 1);
    size_t arg_len = json_decode(in, arg);

    int32_t r = wasmengine_call(name, (int32_t)name_len, arg, (int32_t)arg_len);
    if (r < 0) return error_code(r);
    char *out = abi1_scratch_after(arg, arg_len, 3 + (size_t)r);
    if (!out) return abi1_return(no_memory, sizeof no_memory - 1);
    int32_t copied = wasmengine_call_output(out + 3, r);
    if (copied < 0) return error_code(copied);
    put_str(out, "ok ");
    return abi1_return(out, 3 + (size_t)copied);
}
