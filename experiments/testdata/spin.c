/*
 * spin (ABI 1 test guest): {"n":"<count>"} runs n rounds of Marsaglia's xorshift64
 * (seed 88172645463325252) and returns the final state as decimal text, e.g. n=0 ->
 * "88172645463325252". CPU time is linear in n (u64; 10^12 rounds take many minutes), so
 * it exercises deadlines and the interruption of a busy guest: the rounds are a plain wasm
 * loop with a back-edge and no calls. Bad or missing n -> "error: n must be a decimal integer".
 */
#include "abi1.h"
#include "decimal.h"
#include "json.h"

static const char bad_n[] = "error: n must be a decimal integer";
static char out[20];

ABI1_EXPORT("spin")
abi1_result spin(const char *input, size_t len) {
    json_str s;
    uint64_t n;
    if (json_find(input, len, "n", 1, &s) != 1 || !json_u64(s, &n))
        return abi1_return(bad_n, sizeof bad_n - 1);
    uint64_t x = 88172645463325252ull;
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return abi1_return(out, dec_u64(x, out));
}
