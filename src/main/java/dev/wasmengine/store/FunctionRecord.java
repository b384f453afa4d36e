package dev.wasmengine.store;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * A deployed function as stored and as answered by the API. Its module is named by digest only,
 * so two functions deployed from the same module share one stored blob and one compiled module.
 *
 * @param ref         the function's namespace and name
 * @param image       the image reference the deploy named, kept as given
 * @param imageDigest the manifest the module was pulled from (none for a plain module file)
 * @param layerDigest the layer that held the module, so a later pull of it can be skipped
 * @param kind        how the module takes a call (ABI 1, ABI 2 or HTTP)
 * @param moduleSize  size of the module in bytes
 * @param options     what the deploy set for how the function runs
 * @param revision    orders the changes of this function across a cluster: a later change has a
 *                    higher one (0 on a single node, and for records written before clusters)
 */
public record FunctionRecord(
    FunctionRef ref,
    String image,
    Optional<ModuleDigest> imageDigest,
    Optional<ModuleDigest> layerDigest,
    ModuleDigest digest,
    FunctionKind kind,
    ExecutionModel executionModel,
    long moduleSize,
    Instant createdAt,
    FunctionOptions options,
    long revision) {

  public String name() {
    return ref.name();
  }

  public String namespace() {
    return ref.namespace();
  }

  /** The same function with other options (a scale changes no module). */
  public FunctionRecord withOptions(FunctionOptions changed) {
    return new FunctionRecord(ref, image, imageDigest, layerDigest, digest, kind, executionModel, moduleSize, createdAt,
        changed, revision);
  }

  /** The same function as of another change. */
  public FunctionRecord withRevision(long changedAt) {
    return new FunctionRecord(ref, image, imageDigest, layerDigest, digest, kind, executionModel, moduleSize, createdAt,
        options, changedAt);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("function_name", ref.name())
        .put("namespace", ref.namespace())
        .put("function_image", image)
        .put("image_digest", imageDigest.map(ModuleDigest::toString).orElse(null))
        .put("layer_digest", layerDigest.map(ModuleDigest::toString).orElse(null))
        .put("digest", digest.toString())
        .put("wasi_cap", kind.wasi())
        .put("abi", kind.wireName())
        .put("execution_model", executionModel.wireName())
        .put("module_size", moduleSize)
        .put("created_at", createdAt.toString())
        .put("revision", revision);
    options.writeTo(json);
    return json;
  }

  /**
   * Reads what {@link #toJson()} wrote; throws IllegalArgumentException on anything else. Records
   * written before namespaces and the HTTP ABI existed read as default-namespace functions of
   * the ABI their {@code wasi_cap} names.
   */
  public static FunctionRecord fromJson(JsonObject json) {
    try {
      FunctionRef ref = new FunctionRef(json.getString("namespace", FunctionRef.DEFAULT_NAMESPACE),
          json.getString("function_name"));
      String abi = json.getString("abi");
      FunctionKind kind = abi != null
          ? FunctionKind.parse(abi).orElseThrow(() -> new IllegalArgumentException("bad abi " + abi))
          : require(json.getBoolean("wasi_cap"), "wasi_cap") ? FunctionKind.COMMAND : FunctionKind.EXPORT;
      return new FunctionRecord(
          ref,
          require(json.getString("function_image"), "function_image"),
          optionalDigest(json, "image_digest"),
          optionalDigest(json, "layer_digest"),
          ModuleDigest.parse(require(json.getString("digest"), "digest")),
          kind,
          ExecutionModel.parse(json.getString("execution_model"))
              .orElseThrow(() -> new IllegalArgumentException("bad execution_model")),
          require(json.getLong("module_size"), "module_size"),
          Instant.parse(require(json.getString("created_at"), "created_at")),
          FunctionOptions.readFrom(json),
          json.getLong("revision", 0L));
    } catch (BadRequestException | ClassCastException | java.time.format.DateTimeParseException e) {
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
