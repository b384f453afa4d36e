package dev.wasmengine.runtime;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wasmengine.runtime.graal.GraalRuntime;
import org.junit.jupiter.api.Test;

class GraalRuntimeTest extends RuntimeContract {
  @Override
  WasmRuntime createRuntime() {
    return GraalRuntime.create();
  }

  @Test
  void graalwasm_runs_on_the_optimizing_runtime_not_the_fallback_interpreter() {
    assertNotEquals("Interpreted", ((GraalRuntime) runtime()).implementationName());
  }
}
