package dev.wasmengine.api;

import dev.wasmengine.runtime.ExecutionModel;

class OriginalApiJitTest extends OriginalApiContract {
  @Override
  ExecutionModel model() {
    return ExecutionModel.JIT;
  }
}
