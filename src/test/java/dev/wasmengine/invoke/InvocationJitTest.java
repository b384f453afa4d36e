package dev.wasmengine.invoke;

import dev.wasmengine.runtime.ExecutionModel;

class InvocationJitTest extends InvocationContract {
  @Override
  ExecutionModel model() {
    return ExecutionModel.JIT;
  }
}
