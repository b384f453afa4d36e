package dev.wasmengine.store;

import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Module blobs kept once per digest in an OCI image layout, so standard tools read the store:
 * {@code skopeo copy oci:DATA/oci:<function> docker://...} pushes a deployed function as a Wasm
 * artifact (config {@value #CONFIG_MEDIA_TYPE}, one {@value #MODULE_MEDIA_TYPE} layer).
 * {@code index.json} is derived from the function records and rewritten whole after each change.
 */
final class ModuleStore {
  static final String MODULE_MEDIA_TYPE = "application/wasm";
  static final String CONFIG_MEDIA_TYPE = "application/vnd.wasm.config.v0+json";
  static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** The same small config for every module, so each module has exactly one manifest. */
  private static final byte[] CONFIG = new JsonObject()
      .put("architecture", "wasm")
      .put("os", "wasip1")
      .encode()
      .getBytes(StandardCharsets.UTF_8);

  private final Path root;
  private final Path blobs;

  ModuleStore(Path root) {
    this.root = root;
    this.blobs = root.resolve("blobs").resolve("sha256");
  }

  void open() throws IOException {
    Files.createDirectories(blobs);
    Path layout = root.resolve("oci-layout");
    if (!Files.exists(layout)) {
      AtomicFiles.write(layout, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    }
    AtomicFiles.removeTempFiles(root);
    AtomicFiles.removeTempFiles(blobs);
  }

  /** Stores the module unless a blob of that digest is already here; returns its digest. */
  ModuleDigest put(byte[] module) throws IOException {
    ModuleDigest digest = ModuleDigest.of(module);
    writeBlob(digest, module);
    return digest;
  }

  boolean contains(ModuleDigest digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  /** Reads a module and checks it still hashes to its digest. */
  byte[] read(ModuleDigest digest) throws IOException {
    byte[] bytes = Files.readAllBytes(blobPath(digest));
    if (!ModuleDigest.of(bytes).equals(digest)) {
      throw new IOException("stored module " + digest + " is corrupt (its content hashes differently)");
    }
    return bytes;
  }

  /** Rewrites index.json so that it names exactly these functions, each by its module's manifest. */
  void publish(Map<String, ModuleDigest> functions) throws IOException {
    ModuleDigest config = ModuleDigest.of(CONFIG);
    writeBlob(config, CONFIG);
    JsonArray manifests = new JsonArray();
    for (Map.Entry<String, ModuleDigest> entry : new TreeMap<>(functions).entrySet()) {
      byte[] manifest = manifestOf(entry.getValue(), config);
      ModuleDigest manifestDigest = ModuleDigest.of(manifest);
      writeBlob(manifestDigest, manifest);
      manifests.add(descriptor(MANIFEST_MEDIA_TYPE, manifestDigest, manifest.length)
          .put("annotations", new JsonObject().put(REF_NAME, entry.getKey())));
    }
    JsonObject index = new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", INDEX_MEDIA_TYPE)
        .put("manifests", manifests);
    AtomicFiles.write(root.resolve("index.json"), index.encodePrettily().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes every blob that no live function needs (its module, manifest, the config) and that
   * is not the module of a deploy still in flight (whose blob may not even be written yet).
   */
  void retainOnly(Set<ModuleDigest> liveModules, Set<ModuleDigest> inFlight) throws IOException {
    Set<ModuleDigest> keep = new HashSet<>(liveModules);
    keep.addAll(inFlight);
    if (!liveModules.isEmpty()) {
      ModuleDigest config = ModuleDigest.of(CONFIG);
      keep.add(config);
      for (ModuleDigest module : liveModules) {
        keep.add(ModuleDigest.of(manifestOf(module, config)));
      }
    }
    try (Stream<Path> files = Files.list(blobs)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.matches("[0-9a-f]{64}") && !keep.contains(new ModuleDigest(name))) {
          Files.delete(file);
        }
      }
    }
    AtomicFiles.syncDirectory(blobs);
  }

  private byte[] manifestOf(ModuleDigest module, ModuleDigest config) throws IOException {
    long moduleSize = Files.size(blobPath(module));
    JsonObject manifest = new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", MANIFEST_MEDIA_TYPE)
        .put("config", descriptor(CONFIG_MEDIA_TYPE, config, CONFIG.length))
        .put("layers", new JsonArray().add(descriptor(MODULE_MEDIA_TYPE, module, moduleSize)));
    return manifest.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject descriptor(String mediaType, ModuleDigest digest, long size) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
  }

  private void writeBlob(ModuleDigest digest, byte[] content) throws IOException {
    Path path = blobPath(digest);
    if (!Files.isRegularFile(path) || Files.size(path) != content.length) {
      AtomicFiles.write(path, content);
    }
  }

  private Path blobPath(ModuleDigest digest) {
    return blobs.resolve(digest.hex());
  }
}
