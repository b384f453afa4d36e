package dev.wasmengine.api.openfaas;

import dev.wasmengine.store.FunctionOptions;
import dev.wasmengine.store.FunctionRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenFaaS's {@code FunctionStatus} of a function: its deployment as sent (from the registry's
 * record) and its live state (from the invoker shards). {@code replicas} is the warm instances
 * the function is meant to keep, {@code availableReplicas} the instances it holds now (warm
 * or running a call).
 */
final class FunctionStatus {
  private FunctionStatus() {}

  /**
   * @param stats           the owning shard's {@code {invocations, warm, running}}, or empty
   * @param defaultReplicas the engine's {@code invoke.min_instances}
   */
  static JsonObject of(FunctionRecord record, JsonObject stats, int defaultReplicas) {
    FunctionOptions options = record.options();
    JsonObject deployment = options.deployment();
    JsonObject status = new JsonObject()
        .put("name", record.name())
        .put("image", record.image())
        .put("namespace", record.namespace());
    if (deployment.containsKey("envProcess")) {
      status.put("envProcess", deployment.getValue("envProcess"));
    }
    status.put("envVars", object(options.envVars()))
        .put("secrets", new JsonArray(options.secrets()))
        .put("labels", object(options.labels()))
        .put("annotations", object(options.annotations()));
    for (String field : FunctionDeployment.KEPT_AS_SENT) {
      if (!field.equals("envProcess") && deployment.containsKey(field)) {
        status.put(field, deployment.getValue(field));
      }
    }
    return status
        .put("invocationCount", stats.getLong("invocations", 0L))
        .put("replicas", options.replicas().or(options::scaleMin).orElse(defaultReplicas))
        .put("availableReplicas", stats.getInteger("warm", 0) + stats.getInteger("running", 0))
        .put("createdAt", record.createdAt().toString());
  }

  private static JsonObject object(Map<String, String> map) {
    return new JsonObject(new LinkedHashMap<String, Object>(map));
  }
}
