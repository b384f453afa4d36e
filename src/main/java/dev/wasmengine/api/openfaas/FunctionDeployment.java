package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.store.PlacementConstraints;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * OpenFaaS's {@code FunctionDeployment} turned into the registry's deploy request. What the
 * engine acts on: {@code service}, {@code image}, {@code namespace}, {@code envVars} (the guest's
 * environment; {@code exec_timeout} also sets the call deadline as the watchdog reads it),
 * {@code secrets}, {@code labels} (scale labels included), {@code annotations}
 * ({@code com.openfaas.execution-model}: jit or aot; {@code com.openfaas.abi}: http, command or
 * export) and {@code limits.memory} (the memory ceiling). The other fields are kept as sent and
 * given back in the function's status.
 */
final class FunctionDeployment {
  static final String EXECUTION_MODEL_ANNOTATION = "com.openfaas.execution-model";
  static final String ABI_ANNOTATION = "com.openfaas.abi";
  static final String EXEC_TIMEOUT = "exec_timeout";
  /**
   * Fields kept so the status gives back what was deployed; of them, only {@code constraints}
   * means something to the engine (placement in a cluster).
   */
  static final List<String> KEPT_AS_SENT = List.of("envProcess", "constraints", "limits", "requests",
      "readOnlyRootFilesystem");

  private FunctionDeployment() {}

  /** The deploy (or, with {@code replace}, update) request for the registry. */
  static JsonObject toRegistryRequest(JsonObject deployment) {
    String service = JsonFields.optionalString(deployment, "service").filter(name -> !name.isBlank())
        .orElseThrow(() -> new BadRequestException("missing field service (the function's name)"));
    String image = JsonFields.optionalString(deployment, "image").filter(name -> !name.isBlank())
        .orElseThrow(() -> new BadRequestException("missing field image"));
    String namespace = JsonFields.optionalString(deployment, "namespace").filter(ns -> !ns.isEmpty())
        .orElse(FunctionRef.DEFAULT_NAMESPACE);
    FunctionRef ref = new FunctionRef(namespace, service);
    Map<String, String> envVars = JsonFields.stringMap(deployment, "envVars");
    Map<String, String> annotations = JsonFields.stringMap(deployment, "annotations");
    JsonObject request = ref.toJson()
        .put("function_image", image)
        .put("wasi_default", FunctionKind.HTTP.wireName())
        .put("labels", new JsonObject(new java.util.LinkedHashMap<String, Object>(JsonFields.stringMap(deployment, "labels"))))
        .put("env_vars", new JsonObject(new java.util.LinkedHashMap<String, Object>(envVars)))
        .put("annotations", new JsonObject(new java.util.LinkedHashMap<String, Object>(annotations)))
        .put("secrets", secrets(deployment))
        .put("deployment", keptAsSent(deployment));
    if (annotations.containsKey(EXECUTION_MODEL_ANNOTATION)) {
      request.put("execution_model", annotations.get(EXECUTION_MODEL_ANNOTATION));
    }
    if (annotations.containsKey(ABI_ANNOTATION)) {
      request.put("abi", annotations.get(ABI_ANNOTATION));
    }
    memoryLimit(deployment).ifPresent(pages -> request.put("max_memory_pages", pages));
    if (envVars.containsKey(EXEC_TIMEOUT)) {
      request.put("timeout_ms", GoDuration.millis(envVars.get(EXEC_TIMEOUT), "envVars." + EXEC_TIMEOUT));
    }
    return request;
  }

  private static JsonArray secrets(JsonObject deployment) {
    Object value = deployment.getValue("secrets");
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
      throw new BadRequestException("field secrets must be an array of secret names");
    }
    return array.copy();
  }

  private static java.util.Optional<Integer> memoryLimit(JsonObject deployment) {
    JsonObject limits = JsonFields.optionalObject(deployment, "limits").orElseGet(JsonObject::new);
    return JsonFields.optionalString(limits, "memory").filter(text -> !text.isBlank()).map(MemoryQuantity::pages);
  }

  private static JsonObject keptAsSent(JsonObject deployment) {
    Object constraints = deployment.getValue("constraints");
    if (constraints != null) {
      // In a cluster they choose the nodes; a malformed one must not wait until then to fail.
      if (!(constraints instanceof JsonArray list)) {
        throw new BadRequestException("constraints must be a list of strings");
      }
      PlacementConstraints.parse(list);
    }
    JsonObject kept = new JsonObject();
    for (String field : KEPT_AS_SENT) {
      if (deployment.containsKey(field) && deployment.getValue(field) != null) {
        kept.put(field, deployment.getValue(field));
      }
    }
    return kept.copy();
  }
}
