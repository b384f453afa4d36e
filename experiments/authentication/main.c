/*
 * authentication (ABI 1): export `authentication(ptr, len) -> (ptr, len)`.
 * The response is written into memory right after the input (grown if needed).
 */
#include "abi1.h"
#include "auth.h"

ABI1_EXPORT("authentication")
abi1_result authentication(const char *input, size_t len) {
    size_t cap = len + AUTH_OUTPUT_SLACK;
    char *out = abi1_scratch_after(input, len, cap);
    if (!out) return abi1_return(0, 0);
    return abi1_return(out, auth_respond(input, len, out, cap));
}
