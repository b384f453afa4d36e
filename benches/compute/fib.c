/*
 * The CPU-bound guest of the compute measure: naive recursive Fibonacci, exported as
 * fib(i32) -> i32. Built with clang -O2 for wasm32-unknown-unknown (no libc, no imports), so
 * every engine - and wasm2c's native build - runs exactly the same module.
 */
int fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
