package dev.wasmengine.registry;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.ExecutionModel;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A deploy as the original API spells it: {@code function_name}, {@code function_image},
 * optional {@code wasi_cap} (detected from the module when absent) and our
 * {@code execution_model} (the configured default when absent).
 */
public record DeployRequest(
    String name, String image, Optional<Boolean> wasiCap, Optional<ExecutionModel> executionModel) {

  public static DeployRequest fromJson(JsonObject body) {
    String name = FunctionNames.require(body);
    String image = JsonFields.requiredString(body, "function_image");
    if (image.isBlank()) {
      throw new BadRequestException("field function_image must not be empty");
    }
    return new DeployRequest(name, image, JsonFields.optionalBoolean(body, "wasi_cap"), executionModel(body));
  }

  static Optional<ExecutionModel> executionModel(JsonObject body) {
    return JsonFields.optionalString(body, "execution_model")
        .map(text -> ExecutionModel.parse(text).orElseThrow(() -> new BadRequestException(
            "field execution_model must be one of " + ExecutionModel.names() + ", got \"" + text + "\"")));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("function_name", name).put("function_image", image);
    wasiCap.ifPresent(flag -> json.put("wasi_cap", flag));
    executionModel.ifPresent(model -> json.put("execution_model", model.wireName()));
    return json;
  }
}
