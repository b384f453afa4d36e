package dev.wasmengine.store;

import dev.wasmengine.runtime.InstancePolicy;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a deploy may set for one function; anything absent falls back to the engine's config
 * when the function runs. Labels follow OpenFaaS: {@code com.openfaas.scale.min/max} set the
 * warm and maximum instances.
 *
 * @param timeout        the deadline of one call
 * @param maxMemoryPages the ceiling of the function's linear memory, in 64 KiB wasm pages
 */
public record FunctionOptions(
    Map<String, String> labels,
    Optional<InstancePolicy> instancePolicy,
    Optional<Duration> timeout,
    Optional<Integer> maxMemoryPages) {

  public static final FunctionOptions NONE = new FunctionOptions(Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

  public FunctionOptions {
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /** OpenFaaS label for the warm instances a function keeps. */
  public static final String SCALE_MIN = "com.openfaas.scale.min";
  /** OpenFaaS label for the most instances (concurrent calls) a function gets. */
  public static final String SCALE_MAX = "com.openfaas.scale.max";

  public Optional<Integer> scaleMin() {
    return scaleLabel(SCALE_MIN);
  }

  public Optional<Integer> scaleMax() {
    return scaleLabel(SCALE_MAX).map(max -> Math.max(1, max));
  }

  /** A scale label's value; deploys refuse values that are not integers from 0 to 100000. */
  public Optional<Integer> scaleLabel(String label) {
    String value = labels.get(label);
    if (value == null) {
      return Optional.empty();
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      return parsed >= 0 && parsed <= 100_000 ? Optional.of(parsed) : Optional.empty();
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
        maxMemoryPages.or(fallback::maxMemoryPages));
  }

  void writeTo(JsonObject json) {
    json.put("labels", new JsonObject(new LinkedHashMap<String, Object>(labels)));
    json.put("instance_policy", instancePolicy.map(InstancePolicy::wireName).orElse(null));
    json.put("timeout_ms", timeout.map(Duration::toMillis).orElse(null));
    json.put("max_memory_pages", maxMemoryPages.orElse(null));
  }

  static FunctionOptions readFrom(JsonObject json) {
    Map<String, String> labels = new LinkedHashMap<>();
    JsonObject stored = json.getJsonObject("labels", new JsonObject());
    stored.forEach(entry -> labels.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new FunctionOptions(
        labels,
        Optional.ofNullable(json.getString("instance_policy")).map(name -> InstancePolicy.parse(name)
            .orElseThrow(() -> new IllegalArgumentException("bad instance_policy " + name))),
        Optional.ofNullable(json.getLong("timeout_ms")).map(Duration::ofMillis),
        Optional.ofNullable(json.getInteger("max_memory_pages")));
  }
}
