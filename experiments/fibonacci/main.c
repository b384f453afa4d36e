/* fibonacci (WASI command): {"n":"10"} -> 55. fib(0)=0, fib(1)=1, n in 0..93 (fits u64). */
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "wasi_io.h"

#define MAX_N 93

/* Parses decimal digits only; returns -1 if empty, not a number, or > MAX_N. */
static int parse_n(json_str v) {
    json_iter it;
    json_iter_init(&it, v);
    int b, digits = 0;
    long n = 0;
    while ((b = json_iter_next(&it)) >= 0) {
        if (b < '0' || b > '9') return -1;
        n = n * 10 + (b - '0');
        if (n > MAX_N) return -1;
        digits++;
    }
    return digits > 0 ? (int)n : -1;
}

static uint64_t fib(int n) {
    uint64_t a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

int main(void) {
    const char *json = wasi_args_json();
    json_str v;
    int n = -1;
    if (json && json_find(json, strlen(json), "n", 1, &v) == 1) n = parse_n(v);
    if (n < 0) {
        write_str(2, "fibonacci: argument n must be an integer from 0 to 93\n");
        return 1;
    }
    char buf[24];
    size_t i = sizeof buf;
    buf[--i] = '\n';
    uint64_t f = fib(n);
    do {
        buf[--i] = (char)('0' + f % 10);
        f /= 10;
    } while (f);
    return write_all(1, buf + i, sizeof buf - i) ? 1 : 0;
}
