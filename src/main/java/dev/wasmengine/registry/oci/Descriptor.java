package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadImageException;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.json.JsonObject;

/** An OCI content descriptor: what a manifest or index says about a blob it points to. */
public record Descriptor(String mediaType, ModuleDigest digest, long size, JsonObject raw) {

  /** Reads a descriptor, refusing a missing media type, a non-sha256 digest or a bad size. */
  public static Descriptor of(JsonObject json, String what) {
    if (json == null) {
      throw new BadImageException(what + " is missing");
    }
    String mediaType = json.getValue("mediaType") instanceof String text ? text : "";
    String digestText = json.getValue("digest") instanceof String text ? text : "";
    ModuleDigest digest;
    try {
      digest = ModuleDigest.parse(digestText);
    } catch (IllegalArgumentException e) {
      throw new BadImageException(what + " has an unsupported or malformed digest \"" + digestText + "\"");
    }
    if (!(json.getValue("size") instanceof Number size) || size.longValue() < 0) {
      throw new BadImageException(what + " " + digest + " has no valid size");
    }
    return new Descriptor(mediaType, digest, size.longValue(), json);
  }
}
