package dev.wasmengine.store;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * A deployed function as stored and as answered by the API. Its module is named by digest only,
 * so two functions deployed from the same module share one stored blob and one compiled module.
 *
 * @param image       the image reference the deploy named, kept as given
 * @param imageDigest the manifest the module was pulled from (none for a plain module file)
 * @param layerDigest the layer that held the module, so a later pull of it can be skipped
 * @param wasiCap     true: ABI 2 (WASI command); false: ABI 1 (exported function over memory)
 * @param moduleSize  size of the module in bytes
 * @param options     what the deploy set for how the function runs
 */
public record FunctionRecord(
    String name,
    String image,
    Optional<ModuleDigest> imageDigest,
    Optional<ModuleDigest> layerDigest,
    ModuleDigest digest,
    boolean wasiCap,
    ExecutionModel executionModel,
    long moduleSize,
    Instant createdAt,
    FunctionOptions options) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("function_name", name)
        .put("function_image", image)
        .put("image_digest", imageDigest.map(ModuleDigest::toString).orElse(null))
        .put("layer_digest", layerDigest.map(ModuleDigest::toString).orElse(null))
        .put("digest", digest.toString())
        .put("wasi_cap", wasiCap)
        .put("execution_model", executionModel.wireName())
        .put("module_size", moduleSize)
        .put("created_at", createdAt.toString());
    options.writeTo(json);
    return json;
  }

  /** Reads what {@link #toJson()} wrote; throws IllegalArgumentException on anything else. */
  public static FunctionRecord fromJson(JsonObject json) {
    try {
      String name = json.getString("function_name");
      if (!FunctionNames.isValid(name)) {
        throw new IllegalArgumentException("bad function_name " + name);
      }
      return new FunctionRecord(
          name,
          require(json.getString("function_image"), "function_image"),
          optionalDigest(json, "image_digest"),
          optionalDigest(json, "layer_digest"),
          ModuleDigest.parse(require(json.getString("digest"), "digest")),
          require(json.getBoolean("wasi_cap"), "wasi_cap"),
          ExecutionModel.parse(json.getString("execution_model"))
              .orElseThrow(() -> new IllegalArgumentException("bad execution_model")),
          require(json.getLong("module_size"), "module_size"),
          Instant.parse(require(json.getString("created_at"), "created_at")),
          FunctionOptions.readFrom(json));
    } catch (ClassCastException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("malformed function record: " + e.getMessage(), e);
    }
  }

  private static Optional<ModuleDigest> optionalDigest(JsonObject json, String field) {
    String value = json.getString(field);
    return value == null ? Optional.empty() : Optional.of(ModuleDigest.parse(value));
  }

  private static <T> T require(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("function record misses " + field);
    }
    return value;
  }
}
