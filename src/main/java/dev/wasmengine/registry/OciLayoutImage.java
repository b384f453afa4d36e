package dev.wasmengine.registry;

import dev.wasmengine.error.BadImageException;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.registry.oci.Descriptor;
import dev.wasmengine.registry.oci.Manifests;
import dev.wasmengine.registry.oci.ModuleLayer;
import dev.wasmengine.registry.oci.PlatformChoice;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a function module out of an OCI image layout on disk (what {@code skopeo copy ...
 * oci:DIR:TAG} writes): index → (nested index →) manifest → its single layer. Every blob is
 * checked against its descriptor's digest and size before it is used.
 */
final class OciLayoutImage {
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final long MAX_JSON_BYTES = 4L * 1024 * 1024;

  private final Path dir;
  private final long maxModuleBytes;

  OciLayoutImage(Path dir, long maxModuleBytes) {
    this.dir = dir;
    this.maxModuleBytes = maxModuleBytes;
  }

  PulledModule readModule(Optional<String> tag) throws IOException {
    if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new NotFoundException("no OCI image layout at " + dir + " (oci-layout file missing)");
    }
    Path indexFile = dir.resolve("index.json");
    if (!Files.isRegularFile(indexFile) || Files.size(indexFile) > MAX_JSON_BYTES) {
      throw new BadImageException("layout index.json is missing or larger than " + MAX_JSON_BYTES + " bytes");
    }
    JsonObject index = Manifests.json(Buffer.buffer(Files.readAllBytes(indexFile)), "index.json");
    Descriptor descriptor = selectByTag(Manifests.entries(index, "index.json"), tag);
    JsonObject manifest = Manifests.json(Buffer.buffer(Files.readAllBytes(verified(descriptor, MAX_JSON_BYTES))), "manifest");
    if (Manifests.isIndex(descriptor.mediaType(), manifest)) {
      descriptor = PlatformChoice.pick(Manifests.entries(manifest, "nested index"));
      manifest = Manifests.json(Buffer.buffer(Files.readAllBytes(verified(descriptor, MAX_JSON_BYTES))), "manifest");
    }
    Descriptor layer = Manifests.moduleLayer(manifest);
    try (InputStream in = Files.newInputStream(verified(layer, maxModuleBytes))) {
      byte[] module = ModuleLayer.module(layer.mediaType(), in, maxModuleBytes);
      return new PulledModule(module, Optional.of(descriptor.digest()), Optional.of(layer.digest()));
    }
  }

  private static Descriptor selectByTag(List<Descriptor> manifests, Optional<String> tag) {
    List<String> tags = new ArrayList<>();
    for (Descriptor manifest : manifests) {
      JsonObject annotations = manifest.raw().getValue("annotations") instanceof JsonObject a ? a : new JsonObject();
      tags.add(annotations.getValue(REF_NAME) instanceof String name ? name : "<untagged>");
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

  /** The blob a descriptor names, once its size and sha256 are checked (streamed, not loaded). */
  private Path verified(Descriptor descriptor, long maxBytes) throws IOException {
    if (descriptor.size() > maxBytes) {
      throw new BadImageException("blob " + descriptor.digest() + " has size " + descriptor.size()
          + ", over the limit of " + maxBytes);
    }
    Path blob = dir.resolve("blobs").resolve("sha256").resolve(descriptor.digest().hex());
    if (!Files.isRegularFile(blob)) {
      throw new BadImageException("blob " + descriptor.digest() + " is missing from the layout");
    }
    MessageDigest sha256 = ModuleDigest.sha256();
    long size;
    try (InputStream in = new DigestInputStream(Files.newInputStream(blob), sha256)) {
      size = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    if (size != descriptor.size() || !java.util.HexFormat.of().formatHex(sha256.digest()).equals(descriptor.digest().hex())) {
      throw new BadImageException("blob " + descriptor.digest() + " does not match its digest or size");
    }
    return blob;
  }
}
