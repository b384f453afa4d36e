package dev.wasmengine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Function images made and pushed by real tools: OCI layouts written the way skopeo reads them,
 * layers made by the real tar and gzip, pushed to a registry by the real skopeo (OCI form, Docker
 * v2 schema 2, or a whole index with {@code --all}), and inspected back with skopeo to learn the
 * digests the registry holds.
 */
public final class Images {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String WASM_CONFIG = "application/vnd.wasm.config.v0+json";
  public static final String WASM_LAYER = "application/wasm";
  public static final String TAG = "v1";

  /** How skopeo writes the manifest to the registry. */
  public enum Format { OCI, V2S2 }

  /**
   * An image in the registry.
   *
   * @param ref            host/repo:tag as a deploy names it
   * @param manifestDigest the manifest a puller ends at (for an index: the wasip1/wasm entry; null if none)
   * @param layerDigest    that manifest's only layer
   * @param taggedDigest   what the tag points at (the index itself for an index)
   */
  public record Pushed(String ref, String manifestDigest, String layerDigest, String taggedDigest) {
    /** {@code host/repo@sha256:...} of the manifest a puller ends at. */
    public String digestRef() {
      int slash = ref.indexOf('/');
      int colon = ref.lastIndexOf(':');
      String repo = colon > slash ? ref.substring(0, colon) : ref;
      return repo + "@" + manifestDigest;
    }
  }

  /** One entry of a multi-platform index. */
  public record PlatformImage(String os, String architecture, Path layer, String layerMediaType) {}

  private static final AtomicInteger LAYOUTS = new AtomicInteger();

  private final Path work;
  private final String host;
  private final String credentials;

  private Images(Path work, String host, String credentials) {
    this.work = work;
    this.host = host;
    this.credentials = credentials;
  }

  /** Builds in {@code work} and pushes anonymously to {@code registry}. */
  public static Images forRegistry(Path work, RegistryServer registry) {
    return new Images(work, registry.host(), null);
  }

  /** The same, pushing (and inspecting) with these credentials. */
  public Images withCredentials(String user, String password) {
    return new Images(work, host, user + ":" + password);
  }

  // ---- pushing ----

  /** Copies tag v1 of {@code layout} to {@code host/repoAndTag} in {@code format}. */
  public Pushed push(Path layout, String repoAndTag, Format format) {
    List<String> command = new ArrayList<>(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false"));
    if (credentials != null) {
      command.addAll(List.of("--dest-creds", credentials));
    }
    if (format == Format.V2S2) {
      command.addAll(List.of("--format", "v2s2"));
    }
    command.addAll(List.of("oci:" + layout + ":" + TAG, "docker://" + host + "/" + repoAndTag));
    Commands.run(work, command);
    return inspect(repoAndTag);
  }

  /** Copies a multi-platform layout, every platform of it ({@code --all}). */
  public Pushed pushIndex(Path layout, String repoAndTag) {
    List<String> command = new ArrayList<>(List.of("skopeo", "copy", "-q", "--all", "--dest-tls-verify=false"));
    if (credentials != null) {
      command.addAll(List.of("--dest-creds", credentials));
    }
    command.addAll(List.of("oci:" + layout + ":" + TAG, "docker://" + host + "/" + repoAndTag));
    Commands.run(work, command);
    return inspect(repoAndTag);
  }

  /** An experiments layout ({@code make -C experiments oci}): form "image" or "artifact". */
  public Pushed pushExample(String name, String form, String repoAndTag, Format format) {
    return push(Modules.ociLayout(name, form), repoAndTag, format);
  }

  /** What the registry holds under {@code repoAndTag}, read back with skopeo. */
  public Pushed inspect(String repoAndTag) {
    byte[] tagged = rawManifest(repoAndTag);
    String taggedDigest = digest(tagged);
    JsonObject manifest = new JsonObject(new String(tagged, StandardCharsets.UTF_8));
    String manifestDigest = taggedDigest;
    String mediaType = manifest.getString("mediaType", "");
    if (mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_MANIFEST_LIST) || manifest.containsKey("manifests")) {
      JsonObject entry = null;
      for (Object o : manifest.getJsonArray("manifests")) {
        JsonObject candidate = (JsonObject) o;
        JsonObject platform = candidate.getJsonObject("platform", new JsonObject());
        if ("wasip1".equals(platform.getString("os")) && "wasm".equals(platform.getString("architecture"))) {
          entry = candidate;
        }
      }
      if (entry == null) {
        return new Pushed(host + "/" + repoAndTag, null, null, taggedDigest);
      }
      manifestDigest = entry.getString("digest");
      String repo = repoAndTag.substring(0, repoAndTag.lastIndexOf(':'));
      byte[] platformManifest = rawManifest(repo + "@" + manifestDigest);
      assertEquals(manifestDigest, digest(platformManifest));
      manifest = new JsonObject(new String(platformManifest, StandardCharsets.UTF_8));
    }
    JsonArray layers = manifest.getJsonArray("layers");
    String layerDigest = layers == null || layers.isEmpty() ? null : layers.getJsonObject(0).getString("digest");
    return new Pushed(host + "/" + repoAndTag, manifestDigest, layerDigest, taggedDigest);
  }

  /** The manifest bytes exactly as the registry serves them. */
  public byte[] rawManifest(String repoAndTagOrDigest) {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
    if (credentials != null) {
      command.addAll(List.of("--creds", credentials));
    }
    command.add("docker://" + host + "/" + repoAndTagOrDigest);
    return Commands.run(work, command).stdout();
  }

  // ---- layers, made by the real tar and gzip ----

  /** A tar+gzip layer holding {@code files} (path in the layer → content), made by the real tar. */
  public Path tarGz(String name, Map<String, byte[]> files) {
    Path root = directory(name + "-root");
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      write(path, file.getValue());
    }
    Path layer = work.resolve(name + ".tar.gz");
    List<String> command = new ArrayList<>(List.of("tar", "--create", "--gzip", "--format=gnu", "--sort=name",
        "--owner=0", "--group=0", "--numeric-owner", "--file", layer.toString()));
    command.addAll(files.keySet());
    Commands.run(root, command);
    return layer;
  }

  /** A layer whose only file, {@code fn.wasm}, is {@code bytes} zeros: tiny compressed, huge unpacked. */
  public Path gzipBomb(String name, long bytes) {
    Path root = directory(name + "-root");
    Path big = root.resolve("fn.wasm");
    Commands.run(root, "truncate", "-s", Long.toString(bytes), big.toString());
    Path layer = work.resolve(name + ".tar.gz");
    Commands.run(root, "tar", "--create", "--gzip", "--file", layer.toString(), "fn.wasm");
    try {
      Files.delete(big);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return layer;
  }

  /** A layer whose only entry is {@code ../evil.wasm} (tar --absolute-names keeps the ..). */
  public Path escapingLayer(String name, byte[] module) {
    Path base = directory(name + "-root");
    Path inner = base.resolve("inner");
    write(base.resolve("evil.wasm"), module);
    try {
      Files.createDirectories(inner);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path layer = work.resolve(name + ".tar.gz");
    Commands.run(inner, "tar", "--create", "--gzip", "--file", layer.toString(), "--absolute-names", "../evil.wasm");
    String listing = Commands.run(work, "tar", "--list", "--gzip", "--file", layer.toString()).stdoutText();
    assertEquals("../evil.wasm", listing.strip(), "the layer should keep its ../ entry");
    return layer;
  }

  /** A layer holding a real module and {@code fn.wasm}, a symbolic link to /etc/passwd. */
  public Path linkLayer(String name, byte[] module) {
    Path root = directory(name + "-root");
    write(root.resolve("real.wasm"), module);
    try {
      Files.createSymbolicLink(root.resolve("fn.wasm"), Path.of("/etc/passwd"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path layer = work.resolve(name + ".tar.gz");
    Commands.run(root, "tar", "--create", "--gzip", "--file", layer.toString(), "real.wasm", "fn.wasm");
    return layer;
  }

  // ---- OCI layouts ----

  /** A single-manifest image layout: an OCI config for wasip1/wasm and one layer of the given type. */
  public Path imageLayout(String name, Path layer, String layerMediaType) {
    return imageLayout(name, layer, layerMediaType, "wasip1", "wasm");
  }

  public Path imageLayout(String name, Path layer, String layerMediaType, String os, String architecture) {
    Path dir = newLayout(name);
    JsonObject manifest = imageManifest(dir, List.of(bytes(layer)), layerMediaType, os, architecture);
    writeIndex(dir, List.of(store(dir, manifest, OCI_MANIFEST)));
    return dir;
  }

  /** A single-manifest image layout for wasip1/wasm with several layers, all of one media type. */
  public Path imageLayout(String name, List<Path> layers, String layerMediaType) {
    Path dir = newLayout(name);
    JsonObject manifest = imageManifest(dir, layers.stream().map(Images::bytes).toList(), layerMediaType, "wasip1", "wasm");
    writeIndex(dir, List.of(store(dir, manifest, OCI_MANIFEST)));
    return dir;
  }

  /** A Wasm artifact layout: the wasm config and one layer (the raw blob) of the given media type. */
  public Path artifactLayout(String name, byte[] layerBlob, String layerMediaType) {
    Path dir = newLayout(name);
    byte[] config = new JsonObject().put("architecture", "wasm").put("os", "wasip1")
        .put("layerDigests", new JsonArray().add(digest(layerBlob))).encode().getBytes(StandardCharsets.UTF_8);
    JsonObject manifest = new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", OCI_MANIFEST)
        .put("config", storeBlob(dir, config, WASM_CONFIG))
        .put("layers", new JsonArray().add(storeBlob(dir, layerBlob, layerMediaType)));
    writeIndex(dir, List.of(store(dir, manifest, OCI_MANIFEST)));
    return dir;
  }

  /** A layout whose tag names an OCI index with one image per platform. */
  public Path indexLayout(String name, List<PlatformImage> platforms) {
    Path dir = newLayout(name);
    JsonArray manifests = new JsonArray();
    for (PlatformImage platform : platforms) {
      JsonObject manifest = imageManifest(dir, List.of(bytes(platform.layer())), platform.layerMediaType(), platform.os(),
          platform.architecture());
      JsonObject descriptor = storeBlob(dir, manifest.encode().getBytes(StandardCharsets.UTF_8), OCI_MANIFEST)
          .put("platform", new JsonObject().put("architecture", platform.architecture()).put("os", platform.os()));
      manifests.add(descriptor);
    }
    JsonObject index = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX).put("manifests", manifests);
    writeIndex(dir, List.of(store(dir, index, OCI_INDEX)));
    return dir;
  }

  /** The usual multi-platform index: linux/amd64 (a tar with no module) first, then wasip1/wasm with {@code module}. */
  public Path multiPlatformLayout(String name, byte[] module, String moduleFileName) {
    Path linuxLayer = tarGz(name + "-linux", orderedMap("bin/app", "#!/bin/sh\necho not a module\n".getBytes(StandardCharsets.UTF_8)));
    Path wasmLayer = tarGz(name + "-wasm", orderedMap(moduleFileName, module));
    return indexLayout(name, List.of(
        new PlatformImage("linux", "amd64", linuxLayer, OCI_LAYER_TAR_GZIP),
        new PlatformImage("wasip1", "wasm", wasmLayer, OCI_LAYER_TAR_GZIP)));
  }

  public static Map<String, byte[]> orderedMap(Object... pathsAndContents) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pathsAndContents.length; i += 2) {
      files.put((String) pathsAndContents[i], (byte[]) pathsAndContents[i + 1]);
    }
    return files;
  }

  /**
   * {@code module} with a custom section appended: still the same valid module to every runtime,
   * but with a digest of its own, so a test can have a blob no other test shares.
   */
  public static byte[] withCustomSection(byte[] module, String name, byte[] payload) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
    writeLeb128(content, nameBytes.length);
    content.writeBytes(nameBytes);
    content.writeBytes(payload);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0);
    writeLeb128(out, content.size());
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  private static void writeLeb128(java.io.ByteArrayOutputStream out, int value) {
    int rest = value;
    do {
      int b = rest & 0x7f;
      rest >>>= 7;
      out.write(rest != 0 ? b | 0x80 : b);
    } while (rest != 0);
  }

  public static String digest(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String digest(Path file) {
    return digest(bytes(file));
  }

  private JsonObject imageManifest(Path dir, List<byte[]> layers, String layerMediaType, String os, String architecture) {
    JsonArray diffIds = new JsonArray();
    JsonArray descriptors = new JsonArray();
    for (byte[] layer : layers) {
      diffIds.add(diffId(layer, layerMediaType));
      descriptors.add(storeBlob(dir, layer, layerMediaType));
    }
    byte[] config = new JsonObject()
        .put("architecture", architecture)
        .put("os", os)
        .put("config", new JsonObject())
        .put("rootfs", new JsonObject().put("type", "layers").put("diff_ids", diffIds))
        .encode().getBytes(StandardCharsets.UTF_8);
    return new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", OCI_MANIFEST)
        .put("config", storeBlob(dir, config, OCI_CONFIG))
        .put("layers", descriptors);
  }

  /** The digest of the uncompressed layer, by the real gzip. */
  private String diffId(byte[] layer, String layerMediaType) {
    if (!layerMediaType.endsWith("+gzip") && !layerMediaType.endsWith(".gzip")) {
      return digest(layer);
    }
    Path compressed = work.resolve("diff-" + LAYOUTS.incrementAndGet() + ".gz");
    write(compressed, layer);
    try {
      return digest(Commands.run(work, "gzip", "--decompress", "--stdout", compressed.toString()).stdout());
    } finally {
      try {
        Files.deleteIfExists(compressed);
      } catch (IOException ignored) {
        // temp file
      }
    }
  }

  private Path newLayout(String name) {
    Path dir = work.resolve("layout-" + name + "-" + LAYOUTS.incrementAndGet());
    try {
      Files.createDirectories(dir.resolve("blobs/sha256"));
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static JsonObject store(Path dir, JsonObject document, String mediaType) {
    return storeBlob(dir, document.encode().getBytes(StandardCharsets.UTF_8), mediaType);
  }

  private static JsonObject storeBlob(Path dir, byte[] content, String mediaType) {
    String digest = digest(content);
    write(dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())), content);
    return new JsonObject().put("mediaType", mediaType).put("digest", digest).put("size", content.length);
  }

  private static void writeIndex(Path dir, List<JsonObject> descriptors) {
    JsonArray manifests = new JsonArray();
    for (JsonObject descriptor : descriptors) {
      manifests.add(descriptor.copy().put("annotations", new JsonObject().put("org.opencontainers.image.ref.name", TAG)));
    }
    JsonObject index = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX).put("manifests", manifests);
    write(dir.resolve("index.json"), index.encode().getBytes(StandardCharsets.UTF_8));
  }

  private Path directory(String name) {
    Path dir = work.resolve(name + "-" + LAYOUTS.incrementAndGet());
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
