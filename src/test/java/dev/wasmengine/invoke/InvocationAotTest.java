package dev.wasmengine.invoke;

import dev.wasmengine.runtime.ExecutionModel;

class InvocationAotTest extends InvocationContract {
  @Override
  ExecutionModel model() {
    return ExecutionModel.AOT;
  }
}
