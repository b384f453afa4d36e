// V8 baseline of the compute measure: fib.wasm (make -C benches modules) on node 20's WebAssembly.
//   node fib.mjs SECONDS [N] [MODULE]     (N = 32, MODULE = ../build/modules/fib.wasm)
// Calls fib(N) on one instance in a loop until SECONDS have passed (at least once, at most
// 10 million times) and prints one JSON line per call, like build/fib-native:
//   {"t_ms": <ms from the loop's start to the end of this call>, "ms": <this call>}
// Exits 1 if a result is wrong.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [secondsArg, nArg, moduleArg] = process.argv.slice(2);
if (secondsArg === undefined) {
  console.error('usage: node fib.mjs SECONDS [N] [MODULE]');
  process.exit(2);
}
const limitMs = Number(secondsArg) * 1000;
const n = nArg === undefined ? 32 : Number(nArg);
const file = moduleArg ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'modules', 'fib.wasm');

let a = 0, b = 1;
for (let i = 0; i < n; i++) [a, b] = [b, (a + b) | 0];
const want = a;

const { fib } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports;
const lines = [];
const start = performance.now();
for (let i = 0; i < 10_000_000; i++) {
  const before = performance.now();
  const got = fib(n);
  const after = performance.now();
  if (got !== want) {
    console.error(`fib(${n}) returned ${got}, expected ${want}`);
    process.exit(1);
  }
  lines.push(`{"t_ms": ${(after - start).toFixed(3)}, "ms": ${(after - before).toFixed(4)}}`);
  if (after - start >= limitMs) break;
}
process.stdout.write(lines.join('\n') + '\n');
