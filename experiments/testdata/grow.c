/*
 * grow (ABI 1 test guest): {"pages":"<k>"} runs memory.grow(k) and reports the outcome:
 * "grew <old pages> -> <new pages>" on success, "refused at <pages>" (the unchanged size)
 * when memory.grow returned -1. k is 0..4294967295; anything else ->
 * "error: pages must be a decimal integer". The output is built in a static buffer (below
 * __heap_base), so nothing but the requested grow changes the memory size.
 */
#include "abi1.h"
#include "decimal.h"
#include "json.h"

static const char bad_pages[] = "error: pages must be a decimal integer";
static char out[48];

ABI1_EXPORT("grow")
abi1_result grow(const char *input, size_t len) {
    json_str s;
    uint64_t k;
    if (json_find(input, len, "pages", 5, &s) != 1 || !json_u64(s, &k) || k > 0xFFFFFFFFu)
        return abi1_return(bad_pages, sizeof bad_pages - 1);
    size_t before = __builtin_wasm_memory_size(0);
    size_t old = __builtin_wasm_memory_grow(0, (size_t)k);
    size_t n;
    if (old == (size_t)-1) {
        n = put_str(out, "refused at ");
        n += dec_u64(before, out + n);
    } else {
        n = put_str(out, "grew ");
        n += dec_u64(old, out + n);
        n += put_str(out + n, " -> ");
        n += dec_u64(__builtin_wasm_memory_size(0), out + n);
    }
    return abi1_return(out, n);
}
