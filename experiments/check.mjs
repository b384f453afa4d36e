// Runs every module in dist/ on node's WebAssembly + node:wasi exactly as the engine's two
// ABIs do, and compares with examples.json plus extra edge cases. Usage: node check.mjs
import { readFileSync, openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import { WASI } from 'node:wasi';

process.removeAllListeners('warning'); // node:wasi is "experimental" on node 20
const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'wasm-check-'));
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
let passed = 0;
const failures = [];

function expect(label, actual, expected) {
  if (actual === expected) passed++;
  else failures.push(`${label}\n    expected ${JSON.stringify(expected)}\n    actual   ${JSON.stringify(actual)}`);
}

const modules = new Map();
function load(file) {
  if (!modules.has(file)) modules.set(file, new WebAssembly.Module(readFileSync(join(here, file))));
  return modules.get(file);
}

// ABI 1: grow memory by one page, write the JSON at __heap_base, call f(ptr, len) -> [ptr, len].
function runAbi1(module, name, input) {
  const bytes = typeof input === 'string' ? enc.encode(input) : input;
  const { exports } = new WebAssembly.Instance(module, {});
  const f = exports[name];
  if (typeof f !== 'function' || f.length !== 2) throw new Error(`export ${name} is not a 2-param function`);
  exports.memory.grow(1);
  const base = exports.__heap_base.value;
  new Uint8Array(exports.memory.buffer, base, bytes.length).set(bytes);
  const result = f(base, bytes.length);
  if (!Array.isArray(result) || result.length !== 2) throw new Error(`${name} did not return two values`);
  const [ptr, len] = result;
  return dec.decode(new Uint8Array(exports.memory.buffer, ptr >>> 0, len >>> 0));
}

// ABI 2: WASI preview1 command; the JSON is the only argv entry; stdout minus one trailing \n.
let runs = 0;
function runWasi(module, argv) {
  const outPath = join(scratch, `out${runs}`), errPath = join(scratch, `err${runs++}`);
  const stdout = openSync(outPath, 'w+'), stderr = openSync(errPath, 'w+');
  try {
    const wasi = new WASI({ version: 'preview1', args: argv, env: {}, stdout, stderr, returnOnExit: true });
    const instance = new WebAssembly.Instance(module, wasi.getImportObject());
    const exitCode = wasi.start(instance);
    let out = dec.decode(readFileSync(outPath));
    if (out.endsWith('\n')) out = out.slice(0, -1);
    return { exitCode, stdout: out, stderr: readFileSync(errPath, 'utf8') };
  } finally {
    closeSync(stdout);
    closeSync(stderr);
  }
}

function checkShape(ex, module) {
  const exps = WebAssembly.Module.exports(module).map((e) => `${e.name}:${e.kind}`).sort();
  const imps = WebAssembly.Module.imports(module);
  if (ex.wasi_cap) {
    expect(`${ex.name}: exports _start + memory`, ['_start:function', 'memory:memory'].every((e) => exps.includes(e)), true);
    expect(`${ex.name}: only wasi_snapshot_preview1 imports`, imps.every((i) => i.module === 'wasi_snapshot_preview1'), true);
  } else {
    expect(`${ex.name}: exports`, [`${ex.name}:function`, '__heap_base:global', 'memory:memory'].every((e) => exps.includes(e)), true);
    expect(`${ex.name}: no imports`, imps.length, 0);
  }
}

// One call with a JSON text: ABI 1 returns output, ABI 2 requires exit code 0.
function call(ex, json) {
  const module = load(ex.module);
  if (!ex.wasi_cap) return runAbi1(module, ex.name, json);
  const r = runWasi(module, [json]);
  if (r.exitCode !== 0) return `<exit ${r.exitCode}: ${r.stderr.trim()}>`;
  return r.stdout;
}

const examples = JSON.parse(readFileSync(join(here, 'examples.json'), 'utf8'));
const byName = Object.fromEntries(examples.map((e) => [e.name, e]));
for (const ex of examples) {
  checkShape(ex, load(ex.module));
  for (const s of ex.samples) expect(`${ex.name} ${JSON.stringify(s.args)}`, call(ex, JSON.stringify(s.args)), s.output);
  for (const f of ex.failures ?? []) {
    const r = runWasi(load(ex.module), [JSON.stringify(f.args)]);
    expect(`${ex.name} failure ${JSON.stringify(f.args)} exit code`, r.exitCode, f.exit_code);
    expect(`${ex.name} failure ${JSON.stringify(f.args)} stdout empty`, r.stdout, '');
    expect(`${ex.name} failure ${JSON.stringify(f.args)} stderr non-empty`, r.stderr.length > 0, true);
  }
}

// --- extra cases: the JSON reader (raw texts), md5 against node:crypto, big inputs ---------
const hello = byName['hello'], gcd = byName['gcd'], fib = byName['fibonacci'], addOne = byName['add_one'];
const rawCases = [
  [hello, '{"name":"a\\"b\\\\c\\/d"}', 'Hello, a"b\\c/d!'],
  [hello, '{"name":"tab\\there\\nnl"}', 'Hello, tab\there\nnl!'],
  [hello, '{"name":"\\u00e9\\u4e2d\\ud83d\\ude00"}', 'Hello, é中😀!'],
  [hello, '{"name":"\\ud800x"}', 'Hello, \ufffdx!'],
  [hello, '{"name":"\\udc00"}', 'Hello, \ufffd!'],
  [hello, '{"n\\u0061me":"escaped key"}', 'Hello, escaped key!'],
  [hello, ' \n{ "other" : "1" ,\t"name" : "spaced" } \r\n', 'Hello, spaced!'],
  [hello, '{"name":"first","name":"last"}', 'Hello, last!'],
  [hello, '{"name":""}', 'Hello, !'],
  [hello, '{"name":1}', 'Hello, world!'],
  [hello, '{"name":"x"', 'Hello, world!'],
  [hello, '{"name":"x"} trailing', 'Hello, world!'],
  [hello, '{"name":"bad\\q"}', 'Hello, world!'],
  [hello, '{"name":"bad\\u12"}', 'Hello, world!'],
  [hello, 'not json', 'Hello, world!'],
  [hello, '', 'Hello, world!'],
  [gcd, '{"b":"1\\u0038","a":"\\u0031\\u0032"}', '6'],
  [gcd, '{"a":12,"b":18}', 'error: a and b must be integers'],
  [gcd, '{"a":"","b":"18"}', 'error: a and b must be integers'],
  [gcd, '{"a":"+12","b":"18"}', '6'],
  [gcd, '{"a":"9223372036854775808","b":"1"}', 'error: a and b must be integers'],
  [gcd, '{"a":"1 2","b":"1"}', 'error: a and b must be integers'],
  [gcd, '{"a":"1071","b":"462"}', '21'],
  [fib, '{"n":"1"}', '1'],
  [fib, '{"n":"2"}', '1'],
  [addOne, '{"n":"+5"}', '6'],
  [addOne, '{"n":"\\u0034\\u0031"}', '42'],
];
for (const [ex, json, want] of rawCases) expect(`${ex.name} raw ${JSON.stringify(json)}`, call(ex, json), want);
// hello without any argv entry
expect('hello with no argv', runWasi(load(hello.module), []).stdout, 'Hello, world!');

const authExpected = (uri, body, secret) => {
  const hash = createHash('md5').update(`${uri}#${body}#argfunc`, 'utf8').digest('hex');
  return secret === hash
    ? `{"status":"200","body":"<html><h1>Auth Success!</h1><p>hash ${hash}</p></html>"}`
    : `{"status":"403","body":"<html><h1>Auth Forbidden!</h1><p>hash ${hash} secret ${JSON.stringify(secret).slice(1, -1)}</p></html>"}`;
};
const authCases = [];
for (const len of [0, 1, 40, 45, 46, 47, 54, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
  authCases.push({ arg_uri: 'u'.repeat(len), arg_body: randomBytes(len).toString('base64').slice(0, len), arg_secret: 's' });
}
authCases.push({ arg_uri: '/päth?q="1"', arg_body: '{"k":"v\\n"}\u0001\t', arg_secret: 'quote" back\\ ctl\u0002\n é😀' });
authCases.push({ arg_uri: 'x', arg_body: 'y' });
authCases.push({ arg_uri: 'x', arg_body: 'y', arg_secret: createHash('md5').update('x#y#argfunc').digest('hex') });
authCases.push({ arg_uri: 'x', arg_body: 'y', arg_secret: createHash('md5').update('x#y#argfunc').digest('hex').toUpperCase() });
authCases.push({ arg_uri: 'big', arg_body: 'b'.repeat(30000), arg_secret: '"'.repeat(16000) });
for (const name of ['authentication', 'authentication-wasi']) {
  for (const a of authCases) {
    const want = authExpected(a.arg_uri ?? '', a.arg_body ?? '', a.arg_secret ?? '');
    expect(`${name} ${JSON.stringify(a).slice(0, 80)}`, call(byName[name], JSON.stringify(a)), want);
  }
  expect(`${name} malformed`, call(byName[name], '{"arg_uri":1}').includes('"status":"400"'), true);
}

// inputs at the 64 KiB limit (ABI 1 output lives beyond the input; memory must grow)
const bigJson = JSON.stringify({ x: 'y'.repeat(65536 - 8) });
expect('echo-string 64 KiB input length', bigJson.length, 65536);
expect('echo-string 64 KiB input', call(byName['echo-string'], bigJson), bigJson + 'b');
const bigAuth = { arg_uri: 'u', arg_body: 'v', arg_secret: '\\'.repeat(32000) };
expect('authentication ~64 KiB input', call(byName['authentication'], JSON.stringify(bigAuth)), authExpected('u', 'v', bigAuth.arg_secret));

rmSync(scratch, { recursive: true, force: true });
if (failures.length) {
  console.error(`FAILED ${failures.length} check(s):\n  ` + failures.join('\n  '));
  process.exit(1);
}
console.log(`check: all ${passed} checks passed (${examples.length} modules)`);
