package dev.wasmengine.registry;

import dev.wasmengine.error.BadImageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Turns the one layer of a function image into the module, by the layer's media type. */
final class ModuleLayer {
  /** Wasm artifacts: the layer blob is the module itself. */
  static final Set<String> RAW_MODULE = Set.of(
      "application/wasm",
      "application/vnd.wasm.content.layer.v1+wasm",
      "application/vnd.module.wasm.content.layer.v1+wasm");
  static final Set<String> TAR_GZIP = Set.of(
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.docker.image.rootfs.diff.tar.gzip");
  static final Set<String> TAR = Set.of("application/vnd.oci.image.layer.v1.tar");

  private ModuleLayer() {}

  static boolean isSupported(String mediaType) {
    return RAW_MODULE.contains(mediaType) || TAR_GZIP.contains(mediaType) || TAR.contains(mediaType);
  }

  /** @param maxUnpackedBytes cap on the tar stream after decompression */
  static byte[] module(String mediaType, byte[] blob, long maxUnpackedBytes) throws IOException {
    if (RAW_MODULE.contains(mediaType)) {
      return blob;
    }
    TarModuleExtractor tar = new TarModuleExtractor(maxUnpackedBytes);
    if (TAR.contains(mediaType)) {
      return tar.extract(new ByteArrayInputStream(blob));
    }
    if (TAR_GZIP.contains(mediaType)) {
      try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(blob))) {
        return tar.extract(unzipped);
      } catch (ZipException e) {
        throw new BadImageException("image layer is not valid gzip: " + e.getMessage());
      }
    }
    throw new BadImageException("unsupported layer media type " + mediaType);
  }
}
