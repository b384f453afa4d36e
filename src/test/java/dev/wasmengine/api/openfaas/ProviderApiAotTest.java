package dev.wasmengine.api.openfaas;

import dev.wasmengine.runtime.ExecutionModel;

class ProviderApiAotTest extends ProviderApiContract {
  @Override
  ExecutionModel model() {
    return ExecutionModel.AOT;
  }
}
