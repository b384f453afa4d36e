package dev.wasmengine.api;

import dev.wasmengine.runtime.ExecutionModel;

class OriginalApiAotTest extends OriginalApiContract {
  @Override
  ExecutionModel model() {
    return ExecutionModel.AOT;
  }
}
