package dev.wasmengine.registry;

import dev.wasmengine.error.BadImageException;
import dev.wasmengine.error.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves a deploy's {@code function_image} on this host: {@code oci:DIR[:TAG]} (an OCI image
 * layout) or the path of a {@code .wasm} file. Blocking: run on a worker pool.
 */
final class LocalImages {
  static final String OCI_LAYOUT_PREFIX = "oci:";

  private final long maxModuleBytes;

  LocalImages(long maxModuleBytes) {
    this.maxModuleBytes = maxModuleBytes;
  }

  PulledModule read(String reference) {
    try {
      return resolve(reference);
    } catch (IOException e) {
      throw new BadImageException("cannot read image " + reference + ": " + e.getMessage());
    }
  }

  /** Whether a reference names something on this host rather than an image in a registry. */
  static boolean isLocal(String reference) {
    return reference.startsWith(OCI_LAYOUT_PREFIX) || reference.startsWith("/") || reference.startsWith(".")
        || reference.endsWith(".wasm");
  }

  private PulledModule resolve(String reference) throws IOException {
    if (reference.startsWith(OCI_LAYOUT_PREFIX)) {
      return readLayout(reference.substring(OCI_LAYOUT_PREFIX.length()));
    }
    return new PulledModule(readModuleFile(path(reference), reference), Optional.empty(), Optional.empty());
  }

  private PulledModule readLayout(String spec) throws IOException {
    // oci:DIR:TAG — the tag is what follows the last ':' unless that ':' is part of the path.
    int colon = spec.lastIndexOf(':');
    Optional<String> tag = Optional.empty();
    String dir = spec;
    if (colon > 0 && !spec.substring(colon + 1).contains("/")) {
      dir = spec.substring(0, colon);
      tag = Optional.of(spec.substring(colon + 1));
    }
    Path layout = path(dir);
    if (!Files.isDirectory(layout)) {
      throw new NotFoundException("image layout directory " + dir + " does not exist");
    }
    return new OciLayoutImage(layout, maxModuleBytes).readModule(tag);
  }

  private byte[] readModuleFile(Path file, String reference) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException("image file " + reference + " does not exist");
    }
    if (Files.size(file) > maxModuleBytes) {
      throw new BadImageException("module file " + reference + " is larger than " + maxModuleBytes + " bytes");
    }
    return Files.readAllBytes(file);
  }

  private static Path path(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new BadImageException("image \"" + text + "\" is not a usable path");
    }
  }
}
