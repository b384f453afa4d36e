/*
 * Native baseline of the compute measure: fib.wasm translated to C by wasm2c (build/native/fib.c,
 * module name "fib") and compiled with gcc -O2 together with wasm2c's own runtime.
 *
 *   fib-native SECONDS [N]
 *
 * Calls fib(N) (N = 32 by default) in a loop until SECONDS have passed (at least once, at most
 * 10 million times) and prints one JSON line per call:
 *   {"t_ms": <ms from the loop's start to the end of this call>, "ms": <this call>}
 * Exits 1 (message on stderr) if a result is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fib.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The reference result, iteratively. */
static unsigned expected_fib(int n) {
    unsigned a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        unsigned next = a + b;
        a = b;
        b = next;
    }
    return a;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s SECONDS [N]\n", argv[0]);
        return 2;
    }
    double limit_ms = atof(argv[1]) * 1e3;
    int n = argc > 2 ? atoi(argv[2]) : 32;
    unsigned want = expected_fib(n);

    wasm_rt_init();
    Z_fib_init_module();
    Z_fib_instance_t instance;
    Z_fib_instantiate(&instance);

    double start = now_ms();
    for (long i = 0; i < 10000000L; i++) {
        double before = now_ms();
        unsigned got = Z_fibZ_fib(&instance, (u32)n);
        double after = now_ms();
        if (got != want) {
            fprintf(stderr, "fib(%d) returned %u, expected %u\n", n, got, want);
            return 1;
        }
        printf("{\"t_ms\": %.3f, \"ms\": %.4f}\n", after - start, after - before);
        if (after - start >= limit_ms) break;
    }

    Z_fib_free(&instance);
    wasm_rt_free();
    return 0;
}
