// The engine's two function ABIs on node 20's WebAssembly and node:wasi, shared by
// check-modules.mjs and instantiate-call.mjs (README.md, "Function ABIs").
import { openSync, closeSync, ftruncateSync, readSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { WASI } from 'node:wasi';

process.removeAllListeners('warning'); // node:wasi is "experimental" on node 20
// node:wasi's fast API calls crash V8 once wasm code calling them is optimised (SIGSEGV or
// "Check failed ... Deoptimizer"; nodejs/node#46777, #53087). Seen here within a second of
// instantiate-call.mjs on the hand-written WASI modules. Plain API calls for WASI imports, as
// node's own documented workaround; set before any module is compiled.
setFlagsFromString('--no-turbo-fast-api-calls');

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bench functions' inputs and outputs, by function name without a _wasi suffix. */
export const BENCH = {
  gcd: { input: '{"a":"12","b":"18"}', output: '6' },
  echo_string: { input: '{"x":"a"}', output: '{"x":"a"}b' },
  authentication: {
    input: '{"arg_uri":"yes","arg_body":"yes","arg_secret":"12345"}',
    output: '{"status":"403","body":"<html><h1>Auth Forbidden!</h1><p>hash c5187dd86a648a819f527c7a8a4f7bf4 secret 12345</p></html>"}',
  },
};

export const baseName = (fn) => fn.replace(/[_-]wasi$/, '');

/** ABI 2 when the module imports WASI or exports _start (as the engine detects it). */
export function isWasi(module) {
  return WebAssembly.Module.imports(module).some((i) => i.module === 'wasi_snapshot_preview1')
    || WebAssembly.Module.exports(module).some((e) => e.name === '_start' && e.kind === 'function');
}

export const encode = (text) => encoder.encode(text);

/**
 * ABI 1: a fresh instance, memory grown by one page, the input written at __heap_base,
 * name(ptr, len) -> [ptr, len], the output read as UTF-8.
 */
export function callAbi1(module, name, input) {
  const { exports } = new WebAssembly.Instance(module, {});
  exports.memory.grow(1);
  const base = exports.__heap_base.value;
  new Uint8Array(exports.memory.buffer).set(input, base);
  const [ptr, len] = exports[name](base, input.length);
  return decoder.decode(new Uint8Array(exports.memory.buffer, ptr >>> 0, len >>> 0));
}

/**
 * Captured stdout and stderr for WASI runs: two files opened for appending, so that after a
 * truncate to zero the next guest writes from offset 0; read back with positional reads. On
 * /dev/shm when there is one (no disk in the path).
 */
export class Capture {
  constructor() {
    this.dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'wasm-bench-'));
    this.stdout = openSync(join(this.dir, 'stdout'), 'a+');
    this.stderr = openSync(join(this.dir, 'stderr'), 'a+');
    this.buffer = Buffer.allocUnsafe(65536);
  }

  reset() {
    ftruncateSync(this.stdout, 0);
    ftruncateSync(this.stderr, 0);
  }

  read(fd) {
    const chunks = [];
    let offset = 0;
    for (;;) {
      const n = readSync(fd, this.buffer, 0, this.buffer.length, offset);
      if (n === 0) break;
      chunks.push(Buffer.from(this.buffer.subarray(0, n)));
      offset += n;
      if (n < this.buffer.length) break;
    }
    return decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }

  close() {
    closeSync(this.stdout);
    closeSync(this.stderr);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * ABI 2: a fresh WASI instance per call (argv is per instance): args = [json], no env, _start,
 * stdout less one trailing newline. The capture must have been reset before.
 */
export function callWasi(module, json, capture) {
  const wasi = new WASI({
    version: 'preview1', args: [json], env: {}, stdout: capture.stdout, stderr: capture.stderr, returnOnExit: true,
  });
  const instance = new WebAssembly.Instance(module, wasi.getImportObject());
  const exitCode = wasi.start(instance);
  let stdout = capture.read(capture.stdout);
  if (stdout.endsWith('\n')) stdout = stdout.slice(0, -1);
  return { exitCode, stdout };
}
