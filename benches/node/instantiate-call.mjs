// V8 baseline of "instantiate + call, a fresh instance each time": for each bench module, what
// the engine does per call on a precompiled module, on node 20's WebAssembly and node:wasi.
//   node instantiate-call.mjs [--warmup-ms MS] [--measure-ms MS] MODULE FUNCTION [MODULE FUNCTION ...]
// FUNCTION is the function's name (gcd, echo_string_wasi, ...); the ABI comes from the module
// (WASI imports or _start: ABI 2), the input from the name less a _wasi suffix: gcd
// {"a":"12","b":"18"}, echo_string {"x":"a"}, authentication the README's example.
//   ABI 1: new WebAssembly.Instance(module, {}), memory.grow(1), input written at __heap_base,
//          call, output read (UTF-8);
//   ABI 2: new WASI (args = [input], returnOnExit) and instance, _start, stdout read back from
//          an append-mode file on /dev/shm (truncated before each round, outside the timing).
// Each module: warm-up rounds for --warmup-ms (default 1000; every output checked), then rounds
// for --measure-ms (default 3000; at most 1,000,000), then one line:
//   {"function": ..., "abi": 1|2, "us_mean": ..., "us_p50": ..., "us_p99": ..., "rounds": ...}
// Exits 1 on a wrong output or an unknown function.
import { readFileSync } from 'node:fs';
import { BENCH, baseName, isWasi, encode, callAbi1, callWasi, Capture } from './abi.mjs';

const args = process.argv.slice(2);
const options = { 'warmup-ms': 1000, 'measure-ms': 3000 };
const targets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) {
    const key = args[i].slice(2);
    if (!(key in options) || i + 1 >= args.length) fail(`unknown option or missing value: ${args[i]}`);
    options[key] = Number(args[++i]);
  } else {
    if (i + 1 >= args.length) fail(`module ${args[i]} has no function name`);
    targets.push({ file: args[i], fn: args[++i] });
  }
}
if (targets.length === 0) fail('usage: node instantiate-call.mjs [--warmup-ms MS] [--measure-ms MS] MODULE FUNCTION ...');

const MAX_ROUNDS = 1_000_000;
const capture = new Capture();
const times = new Float64Array(MAX_ROUNDS);

function fail(message) {
  console.error(message);
  process.exit(1);
}

for (const { file, fn } of targets) {
  const bench = BENCH[baseName(fn)];
  if (!bench) fail(`no input known for function ${fn}`);
  const module = new WebAssembly.Module(readFileSync(file));
  const wasi = isWasi(module);
  const input = encode(bench.input);

  // One round: returns its time in microseconds; the output only when asked (checked rounds).
  const round = wasi
    ? () => {
      capture.reset();
      const t0 = performance.now();
      const r = callWasi(module, bench.input, capture);
      const t1 = performance.now();
      return [t1 - t0, r.exitCode === 0 ? r.stdout : `<exit ${r.exitCode}>`];
    }
    : () => {
      const t0 = performance.now();
      const out = callAbi1(module, fn, input);
      const t1 = performance.now();
      return [t1 - t0, out];
    };

  const warmupEnd = performance.now() + options['warmup-ms'];
  do {
    const [, out] = round();
    if (out !== bench.output) fail(`${fn}: output ${JSON.stringify(out)}, expected ${JSON.stringify(bench.output)}`);
  } while (performance.now() < warmupEnd);

  let rounds = 0;
  const measureEnd = performance.now() + options['measure-ms'];
  let last;
  do {
    const [ms, out] = round();
    times[rounds++] = ms * 1000;
    last = out;
  } while (rounds < MAX_ROUNDS && performance.now() < measureEnd);
  if (last !== bench.output) fail(`${fn}: output ${JSON.stringify(last)}, expected ${JSON.stringify(bench.output)}`);

  const sorted = times.slice(0, rounds).sort();
  const mean = sorted.reduce((sum, t) => sum + t, 0) / rounds;
  const at = (q) => sorted[Math.min(rounds - 1, Math.floor(q * rounds))];
  const round2 = (x) => Math.round(x * 100) / 100;
  console.log(JSON.stringify({
    function: fn, abi: wasi ? 2 : 1, us_mean: round2(mean), us_p50: round2(at(0.5)), us_p99: round2(at(0.99)), rounds,
  }));
}
capture.close();
