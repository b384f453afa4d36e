/*
 * ABI 1 (non-WASI) helpers. The host grows memory by one page, writes the JSON args at
 * __heap_base, calls f(ptr, len) and reads the returned (ptr, len) pair: a wasm
 * multi-value result, produced by clang from a two-int struct when compiling with
 * -mmultivalue -Xclang -target-abi -Xclang experimental-mv.
 */
#ifndef EXP_ABI1_H
#define EXP_ABI1_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t ptr;
    int32_t len;
} abi1_result;

#define ABI1_EXPORT(name) __attribute__((export_name(name)))

static inline abi1_result abi1_return(const void *p, size_t n) {
    abi1_result r = {(int32_t)(uintptr_t)p, (int32_t)n};
    return r;
}

/* Makes sure linear memory reaches address `end`, growing it if needed. 1 ok, 0 failed. */
static inline int abi1_ensure_memory(uintptr_t end) {
    uintptr_t have = (uintptr_t)__builtin_wasm_memory_size(0) * 65536u;
    if (end <= have) return 1;
    size_t pages = (end - have + 65535u) / 65536u;
    return __builtin_wasm_memory_grow(0, pages) != (size_t)-1;
}

/*
 * Scratch area for output: right after the input (8-byte aligned), i.e. memory the host
 * does not use. Grows memory so that `cap` bytes fit; returns NULL on failure.
 */
static inline char *abi1_scratch_after(const char *input, size_t len, size_t cap) {
    uintptr_t start = ((uintptr_t)input + len + 7u) & ~(uintptr_t)7u;
    if (!abi1_ensure_memory(start + cap)) return 0;
    return (char *)start;
}

#endif
