/*
 * The `wasmengine` host import module (see README.md): call another deployed function by
 * name, then copy its output. Only the test guests `caller`, `looper` and `caller-abi1` use
 * it; wasm-ld turns these declarations into imports (no --allow-undefined needed).
 */
#ifndef TESTDATA_WASMENGINE_H
#define TESTDATA_WASMENGINE_H

#include <stdint.h>

/* Error codes of wasmengine.call (call_output only ever returns WASMENGINE_BAD_ARGS). */
#define WASMENGINE_NOT_FOUND (-1)
#define WASMENGINE_DEPTH (-2)
#define WASMENGINE_DEADLINE (-3)
#define WASMENGINE_CALLEE_FAILED (-4)
#define WASMENGINE_OVERLOADED (-5)
#define WASMENGINE_BAD_ARGS (-6)

/* Runs function `name` with `input` as its args JSON; output length (>= 0) or an error. */
__attribute__((import_module("wasmengine"), import_name("call")))
int32_t wasmengine_call(const char *name, int32_t name_len, const char *input, int32_t input_len);

/* Copies min(buf_len, length) bytes of the last successful call's output; count or -6. */
__attribute__((import_module("wasmengine"), import_name("call_output")))
int32_t wasmengine_call_output(char *buf, int32_t buf_len);

#endif
