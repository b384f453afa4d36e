package dev.wasmengine.registry;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.InstancePolicy;
import dev.wasmengine.store.FunctionOptions;
import java.time.Duration;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A deploy as the original API spells it: {@code function_name}, {@code function_image},
 * optional {@code wasi_cap} (detected from the module when absent); and ours, all optional:
 * {@code execution_model} (the configured default when absent), {@code labels},
 * {@code instance_policy}, {@code timeout_ms}, {@code max_memory_pages}.
 */
public record DeployRequest(String name, String image, Optional<Boolean> wasiCap,
    Optional<ExecutionModel> executionModel, FunctionOptions options) {

  public static DeployRequest fromJson(JsonObject body) {
    String name = FunctionNames.require(body);
    String image = JsonFields.requiredString(body, "function_image");
    if (image.isBlank()) {
      throw new BadRequestException("field function_image must not be empty");
    }
    return new DeployRequest(name, image, JsonFields.optionalBoolean(body, "wasi_cap"), executionModel(body),
        options(body));
  }

  static FunctionOptions options(JsonObject body) {
    FunctionOptions options = new FunctionOptions(
        JsonFields.stringMap(body, "labels"),
        JsonFields.optionalString(body, "instance_policy").map(text -> InstancePolicy.parse(text)
            .orElseThrow(() -> new BadRequestException("field instance_policy must be one of "
                + InstancePolicy.names() + ", got \"" + text + "\""))),
        JsonFields.optionalLong(body, "timeout_ms", 1, 3_600_000).map(Duration::ofMillis),
        JsonFields.optionalLong(body, "max_memory_pages", 1, 65_536).map(Long::intValue));
    for (String label : java.util.List.of(FunctionOptions.SCALE_MIN, FunctionOptions.SCALE_MAX)) {
      if (options.labels().containsKey(label) && options.scaleLabel(label).isEmpty()) {
        throw new BadRequestException("label " + label + " must be an integer from 0 to 100000");
      }
    }
    return options;
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
    if (!options.labels().isEmpty()) {
      json.put("labels", new JsonObject(new java.util.LinkedHashMap<String, Object>(options.labels())));
    }
    options.instancePolicy().ifPresent(policy -> json.put("instance_policy", policy.wireName()));
    options.timeout().ifPresent(timeout -> json.put("timeout_ms", timeout.toMillis()));
    options.maxMemoryPages().ifPresent(pages -> json.put("max_memory_pages", pages));
    return json;
  }
}
