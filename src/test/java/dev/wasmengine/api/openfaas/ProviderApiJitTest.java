package dev.wasmengine.api.openfaas;

import dev.wasmengine.runtime.ExecutionModel;

class ProviderApiJitTest extends ProviderApiContract {
  @Override
  ExecutionModel model() {
    return ExecutionModel.JIT;
  }
}
