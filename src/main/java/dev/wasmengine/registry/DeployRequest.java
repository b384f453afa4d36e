package dev.wasmengine.registry;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.runtime.InstancePolicy;
import dev.wasmengine.store.FunctionOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deploy as the original API spells it: {@code function_name}, {@code function_image},
 * optional {@code wasi_cap} (detected from the module when absent); and ours, all optional:
 * {@code namespace}, {@code abi} ({@code export}, {@code command} or {@code http}; overrides
 * wasi_cap), {@code wasi_default} (the ABI a detected WASI command gets: {@code command} for the
 * original API, {@code http} for OpenFaaS's), {@code execution_model} (the configured default
 * when absent), {@code labels}, {@code instance_policy}, {@code timeout_ms},
 * {@code max_memory_pages}, {@code env_vars}, {@code secrets}, {@code annotations} and
 * {@code deployment} (OpenFaaS fields kept as sent).
 */
public record DeployRequest(FunctionRef ref, String image, Optional<FunctionKind> kind, FunctionKind wasiDefault,
    Optional<ExecutionModel> executionModel, FunctionOptions options) {

  public String name() {
    return ref.name();
  }

  public static DeployRequest fromJson(JsonObject body) {
    FunctionRef ref = FunctionRef.from(body);
    String image = JsonFields.requiredString(body, "function_image");
    if (image.isBlank()) {
      throw new BadRequestException("field function_image must not be empty");
    }
    return new DeployRequest(ref, image, kind(body), wasiDefault(body), executionModel(body), options(body));
  }

  /** {@code abi} when given, else what {@code wasi_cap} says, else nothing (detected). */
  static Optional<FunctionKind> kind(JsonObject body) {
    Optional<FunctionKind> abi = JsonFields.optionalString(body, "abi").map(DeployRequest::parseKind);
    return abi.or(() -> JsonFields.optionalBoolean(body, "wasi_cap")
        .map(wasi -> wasi ? FunctionKind.COMMAND : FunctionKind.EXPORT));
  }

  static FunctionKind wasiDefault(JsonObject body) {
    return JsonFields.optionalString(body, "wasi_default").map(DeployRequest::parseKind).orElse(FunctionKind.COMMAND);
  }

  private static FunctionKind parseKind(String text) {
    return FunctionKind.parse(text).orElseThrow(() -> new BadRequestException(
        "abi must be one of " + FunctionKind.names() + ", got \"" + text + "\""));
  }

  static FunctionOptions options(JsonObject body) {
    List<String> secrets = secrets(body);
    FunctionOptions options = new FunctionOptions(
        JsonFields.stringMap(body, "labels"),
        JsonFields.optionalString(body, "instance_policy").map(text -> InstancePolicy.parse(text)
            .orElseThrow(() -> new BadRequestException("field instance_policy must be one of "
                + InstancePolicy.names() + ", got \"" + text + "\""))),
        JsonFields.optionalLong(body, "timeout_ms", 1, 3_600_000).map(Duration::ofMillis),
        JsonFields.optionalLong(body, "max_memory_pages", 1, 65_536).map(Long::intValue),
        envVars(body),
        secrets,
        JsonFields.stringMap(body, "annotations"),
        Optional.empty(),
        JsonFields.optionalObject(body, "deployment").orElseGet(JsonObject::new));
    for (String label : List.of(FunctionOptions.SCALE_MIN, FunctionOptions.SCALE_MAX)) {
      if (options.labels().containsKey(label) && options.scaleLabel(label).isEmpty()) {
        throw new BadRequestException("label " + label + " must be an integer from 0 to " + FunctionOptions.MAX_SCALE_LABEL);
      }
    }
    return options;
  }

  /** Environment variables must be passable to a C program: a name without '=' or NUL, a value without NUL. */
  private static Map<String, String> envVars(JsonObject body) {
    Map<String, String> env = JsonFields.stringMap(body, "env_vars");
    env.forEach((name, value) -> {
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new BadRequestException("env_vars name \"" + name + "\" must be non-empty, without '=' or NUL");
      }
      if (value.indexOf('\0') >= 0) {
        throw new BadRequestException("env_vars value of " + name + " must not contain NUL");
      }
    });
    return new LinkedHashMap<>(env);
  }

  private static List<String> secrets(JsonObject body) {
    Object value = body.getValue("secrets");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new BadRequestException("field secrets must be an array of secret names");
    }
    List<String> names = new ArrayList<>();
    for (Object entry : array) {
      if (!(entry instanceof String name) || !FunctionNames.isValid(name)) {
        throw new BadRequestException("secret name " + entry + " must be " + FunctionNames.RULE);
      }
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  static Optional<ExecutionModel> executionModel(JsonObject body) {
    return JsonFields.optionalString(body, "execution_model")
        .map(text -> ExecutionModel.parse(text).orElseThrow(() -> new BadRequestException(
            "field execution_model must be one of " + ExecutionModel.names() + ", got \"" + text + "\"")));
  }

  public JsonObject toJson() {
    JsonObject json = ref.toJson().put("function_image", image).put("wasi_default", wasiDefault.wireName());
    kind.ifPresent(abi -> json.put("abi", abi.wireName()));
    executionModel.ifPresent(model -> json.put("execution_model", model.wireName()));
    writeOptions(options, json);
    return json;
  }

  /** The options in the request fields {@link #options(JsonObject)} reads. */
  static void writeOptions(FunctionOptions options, JsonObject json) {
    json.put("labels", new JsonObject(new LinkedHashMap<String, Object>(options.labels())));
    options.instancePolicy().ifPresent(policy -> json.put("instance_policy", policy.wireName()));
    options.timeout().ifPresent(timeout -> json.put("timeout_ms", timeout.toMillis()));
    options.maxMemoryPages().ifPresent(pages -> json.put("max_memory_pages", pages));
    json.put("env_vars", new JsonObject(new LinkedHashMap<String, Object>(options.envVars())));
    json.put("secrets", new JsonArray(options.secrets()));
    json.put("annotations", new JsonObject(new LinkedHashMap<String, Object>(options.annotations())));
    json.put("deployment", options.deployment());
  }
}
