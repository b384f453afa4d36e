package dev.wasmengine.registry;

import dev.wasmengine.error.BadImageException;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a function module out of an OCI image layout on disk (what {@code skopeo copy ...
 * oci:DIR:TAG} writes): index → (nested index →) manifest → its single layer. Every blob is
 * checked against its descriptor's digest and size.
 */
final class OciLayoutImage {
  private static final Set<String> INDEX_TYPES = Set.of(
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final long MAX_JSON_BYTES = 4L * 1024 * 1024;

  private final Path dir;
  private final long maxModuleBytes;

  OciLayoutImage(Path dir, long maxModuleBytes) {
    this.dir = dir;
    this.maxModuleBytes = maxModuleBytes;
  }

  byte[] readModule(Optional<String> tag) throws IOException {
    if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new NotFoundException("no OCI image layout at " + dir + " (oci-layout file missing)");
    }
    Path indexFile = dir.resolve("index.json");
    if (!Files.isRegularFile(indexFile) || Files.size(indexFile) > MAX_JSON_BYTES) {
      throw new BadImageException("layout index.json is missing or larger than " + MAX_JSON_BYTES + " bytes");
    }
    JsonObject index = json(Files.readAllBytes(indexFile), "index.json");
    JsonObject descriptor = selectByTag(manifests(index, "index.json"), tag);
    if (INDEX_TYPES.contains(descriptor.getString("mediaType", ""))) {
      JsonObject nested = json(blob(descriptor, MAX_JSON_BYTES), "nested index");
      descriptor = PlatformChoice.pick(manifests(nested, "nested index"));
    }
    JsonObject manifest = json(blob(descriptor, MAX_JSON_BYTES), "manifest");
    JsonArray layers = manifest.getJsonArray("layers");
    if (layers == null || layers.size() != 1) {
      throw new BadImageException("image has " + (layers == null ? 0 : layers.size())
          + " layers; a function image has exactly one layer holding the module");
    }
    JsonObject layer = layers.getJsonObject(0);
    String mediaType = layer.getString("mediaType", "");
    if (!ModuleLayer.isSupported(mediaType)) {
      throw new BadImageException("unsupported layer media type " + mediaType);
    }
    return ModuleLayer.module(mediaType, blob(layer, maxModuleBytes), maxModuleBytes);
  }

  private static JsonObject selectByTag(List<JsonObject> manifests, Optional<String> tag) {
    List<String> tags = new ArrayList<>();
    for (JsonObject manifest : manifests) {
      JsonObject annotations = manifest.getJsonObject("annotations", new JsonObject());
      tags.add(annotations.getString(REF_NAME, "<untagged>"));
    }
    if (tag.isEmpty()) {
      if (manifests.size() == 1) {
        return manifests.get(0);
      }
      throw new BadImageException("layout holds " + manifests.size() + " images " + tags + "; name one as oci:DIR:TAG");
    }
    int found = tags.indexOf(tag.get());
    if (found < 0) {
      throw new NotFoundException("no image tagged " + tag.get() + " in layout (tags: " + tags + ")");
    }
    return manifests.get(found);
  }

  private static List<JsonObject> manifests(JsonObject index, String what) {
    JsonArray list = index.getJsonArray("manifests");
    if (list == null || list.isEmpty()) {
      throw new BadImageException(what + " lists no manifests");
    }
    List<JsonObject> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      result.add(list.getJsonObject(i));
    }
    return result;
  }

  /** Reads the blob a descriptor names, refusing it unless its size and sha256 match. */
  private byte[] blob(JsonObject descriptor, long maxBytes) throws IOException {
    String digestText = descriptor.getString("digest", "");
    ModuleDigest digest;
    try {
      digest = ModuleDigest.parse(digestText);
    } catch (IllegalArgumentException e) {
      throw new BadImageException("unsupported or malformed digest \"" + digestText + "\"");
    }
    long size = descriptor.getLong("size", -1L);
    if (size < 0 || size > maxBytes) {
      throw new BadImageException("blob " + digest + " has size " + size + ", over the limit of " + maxBytes);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve("blobs").resolve("sha256").resolve(digest.hex()));
    } catch (NoSuchFileException e) {
      throw new BadImageException("blob " + digest + " is missing from the layout");
    }
    if (bytes.length != size || !ModuleDigest.of(bytes).equals(digest)) {
      throw new BadImageException("blob " + digest + " does not match its digest or size");
    }
    return bytes;
  }

  private static JsonObject json(byte[] bytes, String what) {
    try {
      return new JsonObject(io.vertx.core.buffer.Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException e) {
      throw new BadImageException(what + " is not a JSON object");
    }
  }
}
