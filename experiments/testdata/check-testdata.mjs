// Runs the test guests of build/testdata/ on node's WebAssembly + node:wasi with the engine's
// two ABIs, and checks their exact outputs. The guests that import `wasmengine` get a fake
// host (below) that runs the other modules in-process. Usage: make -C experiments check-testdata
//
// The fake `wasmengine` (the Java host is meant to behave the same way where it applies):
// * every call runs the callee in a FRESH instance (ABI 1 or WASI, per the registry below);
// * depth: the top-level invocation is depth 1; a call made while DEPTH_LIMIT (4) invocations
//   are active returns -2. So looper from depth "0" stops at "stopped at depth 3 with -2";
// * -1 unknown name; -4 callee trapped / exited non-zero; -6 name or input range outside
//   the caller's memory, or a name that is not UTF-8. -3 (deadline) and -5 (overloaded)
//   are never produced here;
// * call returns the output length in bytes (WASI: stdout minus one trailing newline);
// * call_output(buf, len) copies min(len, output length) bytes of the last SUCCESSFUL call
//   of this instance (failed calls keep it; none yet = empty) and returns the count, or -6
//   if the range it would write is outside memory.
import { readFileSync, writeFileSync, mkdirSync, openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { Worker } from 'node:worker_threads';

process.removeAllListeners('warning'); // node:wasi is "experimental" on node 20
const here = dirname(fileURLToPath(import.meta.url));
const built = join(here, '..', 'build', 'testdata');
const scratch = mkdtempSync(join(tmpdir(), 'wasm-testdata-'));
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
const DEPTH_LIMIT = 4;
let passed = 0;
const failures = [];

function expect(label, actual, expected) {
  if (actual === expected) passed++;
  else failures.push(`${label}\n    expected ${JSON.stringify(expected)}\n    actual   ${JSON.stringify(actual)}`);
}

const modules = new Map();
function load(file) {
  if (!modules.has(file)) modules.set(file, new WebAssembly.Module(readFileSync(file)));
  return modules.get(file);
}
const guest = (name) => load(join(built, `${name}.wasm`));

// --- the fake wasmengine host ---------------------------------------------------------------
// name -> { file, abi }; the export name of an ABI 1 module is `exportName` (default: name).
const registry = new Map();
const register = (name, file, abi, exportName = name) => registry.set(name, { file, abi, exportName });
for (const m of ['counter', 'spin', 'grow', 'mem-pages', 'trap', 'caller-abi1']) register(m, join(built, `${m}.wasm`), 1);
for (const m of ['caller', 'looper', 'exit-zero']) register(m, join(built, `${m}.wasm`), 2);
register('echo-string', join(here, '..', 'dist', 'echo-string.wasm'), 1); // committed example
register('loop "é"\\', join(built, 'looper.wasm'), 2); // a name that needs JSON escaping
let active = 0; // invocations in progress (the call chain's depth)

// Import object for one instance; getMemory() is bound once the instance exists.
function wasmengineImports(getMemory) {
  let last = new Uint8Array(0);
  const inBounds = (ptr, len) => ptr + len <= getMemory().buffer.byteLength;
  return {
    call(namePtr, nameLen, inputPtr, inputLen) {
      [namePtr, nameLen, inputPtr, inputLen] = [namePtr >>> 0, nameLen >>> 0, inputPtr >>> 0, inputLen >>> 0];
      if (!inBounds(namePtr, nameLen) || !inBounds(inputPtr, inputLen)) return -6;
      let name;
      try {
        name = dec.decode(new Uint8Array(getMemory().buffer, namePtr, nameLen));
      } catch {
        return -6;
      }
      const input = new Uint8Array(getMemory().buffer, inputPtr, inputLen).slice();
      const target = registry.get(name);
      if (!target) return -1;
      if (active >= DEPTH_LIMIT) return -2;
      const r = invoke(target, input);
      if (!r.ok) return -4;
      last = r.output;
      return last.length;
    },
    call_output(bufPtr, bufLen) {
      [bufPtr, bufLen] = [bufPtr >>> 0, bufLen >>> 0];
      const n = Math.min(bufLen, last.length);
      if (!inBounds(bufPtr, n)) return -6;
      new Uint8Array(getMemory().buffer, bufPtr, n).set(last.subarray(0, n));
      return n;
    },
  };
}

// One invocation in a fresh instance: { ok, output: bytes } or { ok: false, why }.
function invoke(target, input) {
  active++;
  try {
    if (target.abi === 1) {
      const { instance } = abi1Instance(load(target.file));
      return { ok: true, output: abi1Call(instance, target.exportName, input) };
    }
    const r = runWasi(load(target.file), [new TextDecoder().decode(input)]);
    return r.exitCode === 0 ? { ok: true, output: r.stdoutBytes } : { ok: false, why: `exit ${r.exitCode}` };
  } catch (e) {
    return { ok: false, why: String(e) };
  } finally {
    active--;
  }
}

function importsFor(module, getMemory) {
  const wanted = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
  return wanted.has('wasmengine') ? { wasmengine: wasmengineImports(getMemory) } : {};
}

// --- ABI 1: grow memory by one page, write the JSON at __heap_base, call f(ptr, len) -----------
function abi1Instance(module) {
  let instance;
  instance = new WebAssembly.Instance(module, importsFor(module, () => instance.exports.memory));
  instance.exports.memory.grow(1);
  return { instance };
}

function abi1Call(instance, name, input) {
  const bytes = typeof input === 'string' ? enc.encode(input) : input;
  const { exports } = instance;
  const f = exports[name];
  if (typeof f !== 'function' || f.length !== 2) throw new Error(`export ${name} is not a 2-param function`);
  const base = exports.__heap_base.value;
  new Uint8Array(exports.memory.buffer, base, bytes.length).set(bytes);
  const result = f(base, bytes.length);
  if (!Array.isArray(result) || result.length !== 2) throw new Error(`${name} did not return two values`);
  const [ptr, len] = result;
  return new Uint8Array(exports.memory.buffer, ptr >>> 0, len >>> 0).slice();
}

// A top-level ABI 1 call (depth 1) in a fresh instance; output as text.
function abi1(name, input) {
  active++;
  try {
    const { instance } = abi1Instance(guest(name));
    return dec.decode(abi1Call(instance, name, input));
  } catch (e) {
    return `<${e}>`;
  } finally {
    active--;
  }
}

// --- ABI 2: WASI command; JSON = only argv entry; stdout minus one trailing newline ----------
let runs = 0;
function runWasi(module, argv) {
  const outPath = join(scratch, `out${runs}`), errPath = join(scratch, `err${runs++}`);
  const stdout = openSync(outPath, 'w+'), stderr = openSync(errPath, 'w+');
  try {
    const wasi = new WASI({ version: 'preview1', args: argv, env: {}, stdout, stderr, returnOnExit: true });
    let instance;
    const imports = { ...wasi.getImportObject(), ...importsFor(module, () => instance.exports.memory) };
    instance = new WebAssembly.Instance(module, imports);
    const exitCode = wasi.start(instance);
    let out = readFileSync(outPath);
    if (out.length && out[out.length - 1] === 0x0a) out = out.subarray(0, out.length - 1);
    return { exitCode, stdoutBytes: new Uint8Array(out), stdout: dec.decode(out), stderr: readFileSync(errPath, 'utf8') };
  } finally {
    closeSync(stdout);
    closeSync(stderr);
  }
}

// A top-level WASI run (depth 1); exit code 0 required.
function wasi(name, json) {
  active++;
  try {
    const r = runWasi(guest(name), [json]);
    return r.exitCode === 0 ? r.stdout : `<exit ${r.exitCode}: ${r.stderr.trim()}>`;
  } finally {
    active--;
  }
}

// --- shapes: exports and exactly the imports the README promises ------------------------------
function importsOf(name) {
  return WebAssembly.Module.imports(guest(name)).map((i) => `${i.module}.${i.name}`);
}
const abi1Guests = ['counter', 'spin', 'spin-forever', 'grow', 'caller-abi1', 'mem-pages'];
for (const name of abi1Guests) {
  const exps = WebAssembly.Module.exports(guest(name)).map((e) => `${e.name}:${e.kind}`);
  expect(`${name}: ABI 1 exports`, [`${name}:function`, '__heap_base:global', 'memory:memory'].every((e) => exps.includes(e)), true);
}
for (const name of ['counter', 'spin', 'spin-forever', 'grow', 'mem-pages']) expect(`${name}: no imports`, importsOf(name).join(), '');
expect('caller-abi1: imports', importsOf('caller-abi1').join(), 'wasmengine.call,wasmengine.call_output');
for (const name of ['caller', 'looper']) {
  const exps = WebAssembly.Module.exports(guest(name)).map((e) => `${e.name}:${e.kind}`);
  expect(`${name}: WASI exports`, ['_start:function', 'memory:memory'].every((e) => exps.includes(e)), true);
  const imps = importsOf(name);
  expect(`${name}: wasmengine imports`, imps.filter((i) => i.startsWith('wasmengine.')).join(), 'wasmengine.call,wasmengine.call_output');
  expect(`${name}: other imports are WASI`, imps.every((i) => /^(wasmengine|wasi_snapshot_preview1)\./.test(i)), true);
}

// mem-pages: memory section says initial 2, no maximum (flags 0)
function memoryLimits(bytes) {
  let p = 8;
  const leb = () => {
    let v = 0, shift = 0, b;
    do { b = bytes[p++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return v;
  };
  while (p < bytes.length) {
    const id = bytes[p++], size = leb(), end = p + size;
    if (id === 5) {
      leb(); // count
      const flags = leb(), min = leb();
      return { flags, min, max: flags & 1 ? leb() : null };
    }
    p = end;
  }
  return null;
}
expect('mem-pages: memory limits', JSON.stringify(memoryLimits(readFileSync(join(built, 'mem-pages.wasm')))), '{"flags":0,"min":2,"max":null}');

// --- counter ---------------------------------------------------------------------------------
expect('counter fresh instance', abi1('counter', '{}'), '1');
expect('counter fresh instance again', abi1('counter', '{}'), '1');
{
  const { instance } = abi1Instance(guest('counter'));
  const seen = [1, 2, 3].map(() => dec.decode(abi1Call(instance, 'counter', '{}')));
  expect('counter reused instance', seen.join(','), '1,2,3');
}

// --- spin: xorshift64 reference in BigInt ------------------------------------------------------
function xorshift(n) {
  const M = (1n << 64n) - 1n;
  let x = 88172645463325252n;
  for (let i = 0n; i < n; i++) {
    x ^= (x << 13n) & M;
    x ^= x >> 7n;
    x ^= (x << 17n) & M;
  }
  return x.toString();
}
for (const n of [0, 1, 2, 3, 4, 5, 7, 100, 1001, 100000]) expect(`spin n=${n}`, abi1('spin', JSON.stringify({ n: String(n) })), xorshift(BigInt(n)));
expect('spin escaped n', abi1('spin', '{"n":"\\u0031\\u0030"}'), xorshift(10n));
const badN = 'error: n must be a decimal integer';
for (const args of ['{}', '{"n":"-1"}', '{"n":""}', '{"n":"1e3"}', '{"n":" 1"}', '{"n":1}', '{"n":"18446744073709551616"}', 'not json']) {
  expect(`spin bad ${args}`, abi1('spin', args), badN);
}

// --- grow (the C module starts with 2 pages: data + 64 KiB stack; +1 from the host) ----------
expect('grow 0', abi1('grow', '{"pages":"0"}'), 'grew 3 -> 3');
expect('grow 1', abi1('grow', '{"pages":"1"}'), 'grew 3 -> 4');
expect('grow 100', abi1('grow', '{"pages":"100"}'), 'grew 3 -> 103');
expect('grow 65534 (past 4 GiB)', abi1('grow', '{"pages":"65534"}'), 'refused at 3');
expect('grow 65536', abi1('grow', '{"pages":"65536"}'), 'refused at 3');
expect('grow 4294967295', abi1('grow', '{"pages":"4294967295"}'), 'refused at 3');
for (const args of ['{}', '{"pages":"4294967296"}', '{"pages":"x"}', '{"pages":"-1"}']) {
  expect(`grow bad ${args}`, abi1('grow', args), 'error: pages must be a decimal integer');
}

// --- mem-pages -------------------------------------------------------------------------------
expect('mem-pages', abi1('mem-pages', '{}'), '3');

// --- spin-forever and a huge spin never finish: run in a worker, give up after a while -------
function stillRunningAfter(name, json, ms) {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(workerData.bytes), {});
    exports.memory.grow(1);
    const input = new TextEncoder().encode(workerData.json);
    new Uint8Array(exports.memory.buffer, exports.__heap_base.value, input.length).set(input);
    parentPort.postMessage(exports[workerData.name](exports.__heap_base.value, input.length));`;
  const worker = new Worker(code, { eval: true, workerData: { bytes: readFileSync(join(built, `${name}.wasm`)), json, name } });
  return new Promise((resolve) => {
    let finished = false;
    worker.on('message', () => { finished = true; });
    worker.on('error', () => { finished = true; });
    setTimeout(async () => {
      await worker.terminate(); // V8 interrupts wasm loops at their back-edges
      resolve(!finished);
    }, ms);
  });
}
expect('spin-forever still running after 500 ms, then terminated', await stillRunningAfter('spin-forever', '{}', 500), true);
expect('spin n=10^12 still running after 500 ms, then terminated', await stillRunningAfter('spin', '{"n":"1000000000000"}', 500), true);

// --- caller (WASI) and caller-abi1 through the fake host ---------------------------------------
for (const [run, name] of [[wasi, 'caller'], [abi1, 'caller-abi1']]) {
  const c = (args) => run(name, typeof args === 'string' ? args : JSON.stringify(args));
  expect(`${name} -> counter`, c({ target: 'counter', input: '{}' }), 'ok 1');
  expect(`${name} -> counter, no input`, c({ target: 'counter' }), 'ok 1');
  expect(`${name} -> spin`, c({ target: 'spin', input: '{"n":"1000"}' }), `ok ${xorshift(1000n)}`);
  expect(`${name} -> spin bad input`, c({ target: 'spin', input: 'nope' }), `ok ${badN}`);
  expect(`${name} -> mem-pages`, c({ target: 'mem-pages', input: '{}' }), 'ok 3');
  expect(`${name} -> unknown`, c({ target: 'nope', input: '{}' }), 'error -1');
  expect(`${name} -> trap`, c({ target: 'trap', input: '{}' }), 'error -4');
  expect(`${name} -> exit-zero (WASI callee)`, c({ target: 'exit-zero', input: '{}' }), 'ok bye');
  const raw = '{"x":"é\\n","q":"\\"","ctl":"\u0001"}\n\n';
  expect(`${name} -> echo-string bytes pass through`, c({ target: 'echo-string', input: raw }), `ok ${raw}b`);
  expect(`${name} -> echo-string empty input`, c({ target: 'echo-string', input: '' }), 'ok b');
  expect(`${name} -> echo-string 40 KB`, c({ target: 'echo-string', input: 'z'.repeat(40000) }), `ok ${'z'.repeat(40000)}b`);
  expect(`${name} escaped target`, c('{"target":"\\u0063ounter"}'), 'ok 1');
  // nesting: each hop is a fresh instance one level deeper
  expect(`${name} -> caller -> counter`, c({ target: 'caller', input: JSON.stringify({ target: 'counter' }) }), 'ok ok 1');
  expect(`${name} -> caller-abi1 -> spin`, c({ target: 'caller-abi1', input: JSON.stringify({ target: 'spin', input: '{"n":"3"}' }) }), `ok ok ${xorshift(3n)}`);
  expect(`${name} -> caller -> caller -> caller -> counter (counter would be depth 5)`,
    c({ target: 'caller', input: JSON.stringify({ target: 'caller', input: JSON.stringify({ target: 'caller', input: JSON.stringify({ target: 'counter' }) }) }) }),
    'ok ok ok error -2');
  expect(`${name} -> looper`, c({ target: 'looper', input: '{"self":"looper"}' }), 'ok stopped at depth 2 with -2');
  // a callee that fails because of its args (WASI caller: exit 1) -> -4
  expect(`${name} -> caller with bad args`, c({ target: 'caller', input: '{}' }), 'error -4');
}
expect('caller bad args: exit code 1', runWasi(guest('caller'), ['{}']).exitCode, 1);
expect('caller no argv: exit code 1', runWasi(guest('caller'), []).exitCode, 1);
expect('caller-abi1 bad args', abi1('caller-abi1', '{"input":"{}"}'), 'error: args must be {"target":...,"input":...}');
expect('caller-abi1 bad args (input not a string)', abi1('caller-abi1', '{"target":"counter","input":{}}'), 'error: args must be {"target":...,"input":...}');
// a target that is not UTF-8 (raw args bytes pass through the ABI 1 reader) -> -6
expect('caller-abi1 non-UTF-8 target', abi1('caller-abi1', new Uint8Array([...enc.encode('{"target":"'), 0xff, ...enc.encode('"}')])), 'error -6');

// --- looper ---------------------------------------------------------------------------------
expect('looper from 0', wasi('looper', '{"self":"looper","depth":"0"}'), 'stopped at depth 3 with -2');
expect('looper default depth', wasi('looper', '{"self":"looper"}'), 'stopped at depth 3 with -2');
expect('looper from 7', wasi('looper', '{"self":"looper","depth":"7"}'), 'stopped at depth 10 with -2');
expect('looper unknown self', wasi('looper', '{"self":"nope"}'), 'stopped at depth 0 with -1');
expect('looper escaped self', wasi('looper', JSON.stringify({ self: 'loop "é"\\', depth: '1' })), 'stopped at depth 4 with -2');
expect('looper self named counter', wasi('looper', '{"self":"counter","depth":"5"}'), '1');
expect('looper bad depth: exit code 1', runWasi(guest('looper'), ['{"self":"looper","depth":"x"}']).exitCode, 1);
expect('looper no self: exit code 1', runWasi(guest('looper'), ['{"depth":"1"}']).exitCode, 1);

// --- HTTP ABI guests (http-*.c): argv = [function name], request in env + stdin ----------------
// runHttp gives stdout UNCHANGED (no newline stripped: the HTTP ABI passes the body through;
// these guests end their stdout without a newline anyway), stderr, and the exit code.
// secrets: { name: content } -> files preopened at /var/openfaas/secrets (the only preopen).
function runHttp(name, { env = {}, body = '', secrets = null } = {}) {
  const n = runs++;
  const inPath = join(scratch, `in${n}`), outPath = join(scratch, `out${n}`), errPath = join(scratch, `err${n}`);
  writeFileSync(inPath, body);
  const preopens = {};
  if (secrets) {
    const dir = join(scratch, `secrets${n}`);
    mkdirSync(dir);
    for (const [k, v] of Object.entries(secrets)) writeFileSync(join(dir, k), v);
    preopens['/var/openfaas/secrets'] = dir;
  }
  const stdin = openSync(inPath, 'r'), stdout = openSync(outPath, 'w+'), stderr = openSync(errPath, 'w+');
  try {
    const wasi = new WASI({ version: 'preview1', args: [name], env, preopens, stdin, stdout, stderr, returnOnExit: true });
    const instance = new WebAssembly.Instance(guest(name), wasi.getImportObject());
    const exitCode = wasi.start(instance);
    return { exitCode, stdout: readFileSync(outPath, 'utf8'), stderr: readFileSync(errPath, 'utf8') };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
    closeSync(stderr);
  }
}
const httpGuests = ['http-echo', 'http-redirect', 'http-status', 'http-plain', 'http-fail', 'http-env', 'http-slow-stderr'];
for (const name of httpGuests) {
  const exps = WebAssembly.Module.exports(guest(name)).map((e) => `${e.name}:${e.kind}`);
  expect(`${name}: WASI command exports`, ['_start:function', 'memory:memory'].every((e) => exps.includes(e)), true);
  expect(`${name}: only WASI imports`, importsOf(name).every((i) => i.startsWith('wasi_snapshot_preview1.')), true);
}
// The sample request: POST /function/<name>/x/y?a=1&b=2, X-Test-Header: hello, body {"k":"v"}
// (no Content-Type header), as the contract maps it, plus one function envVar (GREETING).
const sampleEnv = {
  REQUEST_METHOD: 'POST', QUERY_STRING: 'a=1&b=2', PATH_INFO: '/x/y', CONTENT_LENGTH: '9',
  HTTP_X_TEST_HEADER: 'hello',
  Http_Method: 'POST', Http_Query: 'a=1&b=2', Http_Path: '/x/y', Http_X_Test_Header: 'hello',
  GREETING: 'hi',
};
const sampleBody = '{"k":"v"}';
const sampleEcho = 'Content-Type: application/json\n\n' +
  '{"method":"POST","query":"a=1&b=2","path":"/x/y","content_type":null,"content_length":"9",' +
  '"body":"{\\"k\\":\\"v\\"}","env":{"CONTENT_LENGTH":"9","CONTENT_TYPE":null,' +
  '"HTTP_X_TEST_HEADER":"hello","Http_Method":"POST","Http_Path":"/x/y","Http_Query":"a=1&b=2",' +
  '"Http_X_Test_Header":"hello","PATH_INFO":"/x/y","QUERY_STRING":"a=1&b=2","REQUEST_METHOD":"POST"}}';
const http = (name, opts) => {
  const r = runHttp(name, opts);
  return `exit=${r.exitCode}\nstdout=${JSON.stringify(r.stdout)}\nstderr=${JSON.stringify(r.stderr)}`;
};
const httpExpect = (exitCode, stdout, stderr = '') => `exit=${exitCode}\nstdout=${JSON.stringify(stdout)}\nstderr=${JSON.stringify(stderr)}`;
const sample = { env: sampleEnv, body: sampleBody };
expect('http-echo sample request', http('http-echo', sample), httpExpect(0, sampleEcho));
{
  const r = runHttp('http-echo', sample);
  const [head, json] = r.stdout.split('\n\n');
  expect('http-echo sample: header block', head, 'Content-Type: application/json');
  expect('http-echo sample: body is JSON with the request body', JSON.parse(JSON.parse(json).body).k, 'v');
}
// Content-Type present, ECHO_ALSO (an unset name -> null, a CGI name listed twice, an empty
// item), nasty bytes in names, values and body (quotes, backslash, control chars, UTF-8, DEL)
{
  const body = 'a"b\\c\n\t\u0000\u001f\u007fé€😀 /';
  const env = {
    REQUEST_METHOD: 'PUT', QUERY_STRING: '', PATH_INFO: '/', CONTENT_TYPE: 'text/plain; charset=utf-8',
    CONTENT_LENGTH: String(enc.encode(body).length), Http_ContentType: 'text/plain; charset=utf-8',
    HTTP_X_QUOTE: 'say "hi" \\ \u0001', 'Http_X_Ünï': 'ü', ECHO_ALSO: 'GREETING,,MISSING,PATH_INFO,ECHO_ALSO',
    GREETING: 'hey\r\n', OTHER: 'not echoed', http_lower: 'not echoed', HTTPX: 'not echoed',
  };
  const r = runHttp('http-echo', { env, body });
  expect('http-echo escapes: exit', r.exitCode, 0);
  const json = r.stdout.slice('Content-Type: application/json\n\n'.length);
  expect('http-echo escapes: exact JSON', json,
    '{"method":"PUT","query":"","path":"/","content_type":"text/plain; charset=utf-8","content_length":"21",' +
    '"body":"a\\"b\\\\c\\u000a\\u0009\\u0000\\u001f\u007fé€😀 /","env":{"CONTENT_LENGTH":"21",' +
    '"CONTENT_TYPE":"text/plain; charset=utf-8","ECHO_ALSO":"GREETING,,MISSING,PATH_INFO,ECHO_ALSO",' +
    '"GREETING":"hey\\u000d\\u000a","HTTP_X_QUOTE":"say \\"hi\\" \\\\ \\u0001",' +
    '"Http_ContentType":"text/plain; charset=utf-8","Http_X_Ünï":"ü","MISSING":null,"PATH_INFO":"/",' +
    '"QUERY_STRING":"","REQUEST_METHOD":"PUT"}}');
  expect('http-echo escapes: JSON.parse round trip of body', JSON.parse(json).body, body);
}
expect('http-echo no request env, empty stdin', http('http-echo', {}), httpExpect(0, 'Content-Type: application/json\n\n' +
  '{"method":null,"query":null,"path":null,"content_type":null,"content_length":null,"body":"","env":{' +
  '"CONTENT_LENGTH":null,"CONTENT_TYPE":null,"PATH_INFO":null,"QUERY_STRING":null,"REQUEST_METHOD":null}}'));
{
  const big = 'x"'.repeat(100000); // 200 KB: several stdin reads, each escaped as it comes
  const r = runHttp('http-echo', { env: { REQUEST_METHOD: 'POST' }, body: big });
  expect('http-echo 200 KB body', JSON.parse(r.stdout.split('\n\n')[1]).body === big, true);
}
expect('http-redirect', http('http-redirect', sample), httpExpect(0, 'Location: https://example.invalid/next\n\nmoved'));
expect('http-status', http('http-status', sample),
  httpExpect(0, "Status: 418 I'm a teapot\nContent-Type: text/plain\nX-Guest: yes\n\nshort and stout"));
expect('http-plain', http('http-plain', sample), httpExpect(0, 'plain body', 'log line one\nlog line two\n'));
expect('http-fail', http('http-fail', sample), httpExpect(3, '', 'something broke\n'));
expect('http-slow-stderr', http('http-slow-stderr', sample),
  httpExpect(0, 'done', Array.from({ length: 50 }, (_, i) => `line ${i + 1}\n`).join('')));
// http-env: secret files only through the /var/openfaas/secrets preopen
const secrets = { 'api-key': 's3cr3t\nline 2\n', empty: '' };
expect('http-env sample request (GREETING=hi, no SECRET_NAME)', http('http-env', sample), httpExpect(0, 'hi\nno secret'));
expect('http-env nothing set', http('http-env', {}), httpExpect(0, 'unset\nno secret'));
expect('http-env secret', http('http-env', { env: { GREETING: 'hello', SECRET_NAME: 'api-key' }, secrets }),
  httpExpect(0, 'hello\ns3cr3t\nline 2\n'));
expect('http-env empty secret', http('http-env', { env: { SECRET_NAME: 'empty' }, secrets }), httpExpect(0, 'unset\n'));
expect('http-env unknown secret', http('http-env', { env: { SECRET_NAME: 'nope' }, secrets }), httpExpect(0, 'unset\nno secret'));
expect('http-env secret without the preopen', http('http-env', { env: { SECRET_NAME: 'api-key' } }), httpExpect(0, 'unset\nno secret'));
expect('http-env empty SECRET_NAME', http('http-env', { env: { SECRET_NAME: '' }, secrets }), httpExpect(0, 'unset\nno secret'));
expect('http-env SECRET_NAME escaping the preopen', http('http-env', { env: { SECRET_NAME: '../../../../etc/passwd' }, secrets }),
  httpExpect(0, 'unset\nno secret'));

rmSync(scratch, { recursive: true, force: true });
if (failures.length) {
  console.error(`FAILED ${failures.length} check(s):\n  ` + failures.join('\n  '));
  process.exit(1);
}
console.log(`check-testdata: all ${passed} checks passed`);
