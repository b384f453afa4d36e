package dev.wasmengine.store;

import dev.wasmengine.runtime.InstancePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a deploy may set for one function; anything absent falls back to the engine's config
 * when the function runs. Labels follow OpenFaaS: {@code com.openfaas.scale.min/max} set the
 * warm and maximum instances.
 *
 * @param timeout        the deadline of one call
 * @param maxMemoryPages the ceiling of the function's linear memory, in 64 KiB wasm pages
 * @param envVars        the guest's environment variables
 * @param secrets        names of the secrets (of the function's namespace) the guest may read
 * @param replicas       warm instances set by a scale request; overrides the scale.min label
 * @param deployment     OpenFaaS deployment fields the engine keeps only to give them back as
 *                       they were sent ({@code envProcess, constraints, limits, requests,
 *                       readOnlyRootFilesystem})
 */
public record FunctionOptions(
    Map<String, String> labels,
    Optional<InstancePolicy> instancePolicy,
    Optional<Duration> timeout,
    Optional<Integer> maxMemoryPages,
    Map<String, String> envVars,
    List<String> secrets,
    Map<String, String> annotations,
    Optional<Integer> replicas,
    JsonObject deployment) {

  public static final FunctionOptions NONE = new FunctionOptions(Map.of(), Optional.empty(), Optional.empty(),
      Optional.empty(), Map.of(), List.of(), Map.of(), Optional.empty(), new JsonObject());

  /** OpenFaaS label for the warm instances a function keeps. */
  public static final String SCALE_MIN = "com.openfaas.scale.min";
  /** OpenFaaS label for the most instances (concurrent calls) a function gets. */
  public static final String SCALE_MAX = "com.openfaas.scale.max";
  /** The largest value a scale label may have. */
  public static final int MAX_SCALE_LABEL = 100_000;
  /** The most warm instances a scale request may ask of one function: each holds its memory. */
  public static final int MAX_REPLICAS = 1_000;

  public FunctionOptions {
    labels = ordered(labels);
    envVars = ordered(envVars);
    annotations = ordered(annotations);
    secrets = List.copyOf(secrets);
    deployment = deployment.copy();
  }

  private static Map<String, String> ordered(Map<String, String> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** A copy: the record must not share a mutable object with its callers. */
  @Override
  public JsonObject deployment() {
    return deployment.copy();
  }

  public Optional<Integer> scaleMin() {
    return scaleLabel(SCALE_MIN);
  }

  public Optional<Integer> scaleMax() {
    return scaleLabel(SCALE_MAX).map(max -> Math.max(1, max));
  }

  /** A scale label's value; deploys refuse values that are not integers from 0 to {@value #MAX_SCALE_LABEL}. */
  public Optional<Integer> scaleLabel(String label) {
    String value = labels.get(label);
    if (value == null) {
      return Optional.empty();
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      return parsed >= 0 && parsed <= MAX_SCALE_LABEL ? Optional.of(parsed) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** These options, each absent one taken from {@code fallback} (an update keeps what it does not change). */
  public FunctionOptions orElse(FunctionOptions fallback) {
    return new FunctionOptions(
        labels.isEmpty() ? fallback.labels : labels,
        instancePolicy.or(fallback::instancePolicy),
        timeout.or(fallback::timeout),
        maxMemoryPages.or(fallback::maxMemoryPages),
        envVars.isEmpty() ? fallback.envVars : envVars,
        secrets.isEmpty() ? fallback.secrets : secrets,
        annotations.isEmpty() ? fallback.annotations : annotations,
        replicas.or(fallback::replicas),
        deployment.isEmpty() ? fallback.deployment : deployment);
  }

  /** These options with the warm instances a scale request set. */
  public FunctionOptions withReplicas(int count) {
    return new FunctionOptions(labels, instancePolicy, timeout, maxMemoryPages, envVars, secrets, annotations,
        Optional.of(count), deployment);
  }

  void writeTo(JsonObject json) {
    json.put("labels", object(labels));
    json.put("instance_policy", instancePolicy.map(InstancePolicy::wireName).orElse(null));
    json.put("timeout_ms", timeout.map(Duration::toMillis).orElse(null));
    json.put("max_memory_pages", maxMemoryPages.orElse(null));
    json.put("env_vars", object(envVars));
    json.put("secrets", new JsonArray(List.copyOf(secrets)));
    json.put("annotations", object(annotations));
    json.put("replicas", replicas.orElse(null));
    json.put("deployment", deployment.copy());
  }

  private static JsonObject object(Map<String, String> map) {
    return new JsonObject(new LinkedHashMap<String, Object>(map));
  }

  /** Reads what {@link #writeTo} wrote; records from before a field existed read it as empty. */
  static FunctionOptions readFrom(JsonObject json) {
    return new FunctionOptions(
        strings(json, "labels"),
        Optional.ofNullable(json.getString("instance_policy")).map(name -> InstancePolicy.parse(name)
            .orElseThrow(() -> new IllegalArgumentException("bad instance_policy " + name))),
        Optional.ofNullable(json.getLong("timeout_ms")).map(Duration::ofMillis),
        Optional.ofNullable(json.getInteger("max_memory_pages")),
        strings(json, "env_vars"),
        json.getJsonArray("secrets", new JsonArray()).stream().map(String::valueOf).toList(),
        strings(json, "annotations"),
        Optional.ofNullable(json.getInteger("replicas")),
        json.getJsonObject("deployment", new JsonObject()));
  }

  private static Map<String, String> strings(JsonObject json, String field) {
    Map<String, String> map = new LinkedHashMap<>();
    json.getJsonObject(field, new JsonObject()).forEach(entry -> map.put(entry.getKey(), String.valueOf(entry.getValue())));
    return map;
  }
}
