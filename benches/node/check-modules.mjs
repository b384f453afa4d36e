// Runs the six bench modules (make -C benches modules) on node 20 exactly as the engine's two
// ABIs do, and compares their outputs with the expected ones.
//   node check-modules.mjs [MODULES_DIR]     (default: ../build/modules next to this file)
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH, isWasi, encode, callAbi1, callWasi, Capture } from './abi.mjs';

const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'modules');
const capture = new Capture();
const failures = [];
let passed = 0;

function expect(label, actual, expected) {
  if (actual === expected) passed++;
  else failures.push(`${label}\n    expected ${JSON.stringify(expected)}\n    actual   ${JSON.stringify(actual)}`);
}

function run(file, fn, json) {
  const module = new WebAssembly.Module(readFileSync(join(dir, file)));
  if (!isWasi(module)) return callAbi1(module, fn, encode(json));
  capture.reset();
  const r = callWasi(module, json, capture);
  return r.exitCode === 0 ? r.stdout : `<exit ${r.exitCode}: ${capture.read(capture.stderr).trim()}>`;
}

function checkShape(file, fn, wasi) {
  const module = new WebAssembly.Module(readFileSync(join(dir, file)));
  const exports = WebAssembly.Module.exports(module).map((e) => `${e.name}:${e.kind}`);
  const imports = WebAssembly.Module.imports(module);
  expect(`${file}: ABI ${wasi ? 2 : 1}`, isWasi(module), wasi);
  const want = wasi ? ['_start:function', 'memory:memory'] : [`${fn}:function`, 'memory:memory', '__heap_base:global'];
  expect(`${file}: exports ${want}`, want.every((e) => exports.includes(e)), true);
  expect(`${file}: imports only WASI`, imports.every((i) => wasi && i.module === 'wasi_snapshot_preview1'), true);
}

for (const fn of Object.keys(BENCH)) {
  for (const wasi of [false, true]) {
    const file = `${fn}${wasi ? '_wasi' : ''}.wasm`;
    checkShape(file, fn, wasi);
    expect(`${file} ${BENCH[fn].input}`, run(file, fn, BENCH[fn].input), BENCH[fn].output);
  }
}

// A few more cases for the hand-written ones, on both ABIs.
const big = JSON.stringify({ x: 'y'.repeat(65536 - 8) }); // 64 KiB: echo_string must grow memory
const extra = [
  ['gcd', '{"a":"1071","b":"462"}', '21'],
  ['gcd', '{"b":"18","a":"12"}', '6'],
  ['gcd', '{"a":"0","b":"5"}', '5'],
  ['gcd', '{"a":"18446744073709551615","b":"5"}', '5'],
  ['echo_string', '', 'b'],
  ['echo_string', '{"k":"é😀"}', '{"k":"é😀"}b'],
  ['echo_string', big, big + 'b'],
];
for (const [fn, json, want] of extra) {
  expect(`${fn} ${json.slice(0, 40)}`, run(`${fn}.wasm`, fn, json), want);
  expect(`${fn}_wasi ${json.slice(0, 40)}`, run(`${fn}_wasi.wasm`, fn, json), want);
}
expect('gcd with one number', run('gcd.wasm', 'gcd', '{"a":"12"}'), 'error: a and b must be integers');
expect('gcd_wasi with one number', run('gcd_wasi.wasm', 'gcd', '{"a":"12"}'), '<exit 1: error: a and b must be integers>');

capture.close();
if (failures.length) {
  console.error(`FAILED ${failures.length} check(s):\n  ` + failures.join('\n  '));
  process.exit(1);
}
console.log(`check-modules: all ${passed} checks passed (6 modules)`);
