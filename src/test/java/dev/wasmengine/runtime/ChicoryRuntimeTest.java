package dev.wasmengine.runtime;

import dev.wasmengine.runtime.chicory.ChicoryRuntime;

class ChicoryRuntimeTest extends RuntimeContract {
  @Override
  WasmRuntime createRuntime() {
    return new ChicoryRuntime();
  }
}
