package dev.wasmengine.registry;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.store.FunctionOptions;
import dev.wasmengine.store.FunctionRecord;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * An update of a deployed function: the deploy fields, all optional but the name. Without
 * {@code function_image} the function's own reference is pulled again (a moved tag brings the
 * new module); every other field left out keeps the function's current value.
 */
record UpdateRequest(String name, Optional<String> image, Optional<Boolean> wasiCap,
    Optional<ExecutionModel> executionModel, FunctionOptions options) {

  static UpdateRequest fromJson(JsonObject body) {
    String name = FunctionNames.require(body);
    Optional<String> image = JsonFields.optionalString(body, "function_image");
    if (image.isPresent() && image.get().isBlank()) {
      throw new BadRequestException("field function_image must not be empty");
    }
    return new UpdateRequest(name, image, JsonFields.optionalBoolean(body, "wasi_cap"), DeployRequest.executionModel(body),
        DeployRequest.options(body));
  }

  /** The deploy this update amounts to for the function as it is now. */
  DeployRequest against(FunctionRecord current) {
    return new DeployRequest(name, image.orElse(current.image()), wasiCap,
        Optional.of(executionModel.orElse(current.executionModel())), options.orElse(current.options()));
  }
}
