/*
 * echo-string (ABI 1): returns the input bytes followed by 'b'.
 * The 'b' is appended in place, right after the input (memory grown if needed).
 */
#include "abi1.h"

ABI1_EXPORT("echo-string")
abi1_result echo_string(char *input, size_t len) {
    if (!abi1_ensure_memory((uintptr_t)input + len + 1)) return abi1_return(0, 0);
    input[len] = 'b';
    return abi1_return(input, len + 1);
}
