package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadImageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Turns the one layer of a function image into the module, by the layer's media type. Blocking. */
public final class ModuleLayer {
  private ModuleLayer() {}

  /**
   * @param layer            the verified layer blob
   * @param maxUnpackedBytes cap on what the layer may unpack to (the module, or the tar stream)
   */
  public static byte[] module(String mediaType, InputStream layer, long maxUnpackedBytes) throws IOException {
    if (MediaTypes.RAW_MODULE_LAYERS.contains(mediaType)) {
      byte[] module = layer.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUnpackedBytes + 1));
      if (module.length > maxUnpackedBytes) {
        throw new BadImageException("module layer is more than " + maxUnpackedBytes + " bytes; refused");
      }
      return module;
    }
    TarModuleExtractor tar = new TarModuleExtractor(maxUnpackedBytes);
    if (MediaTypes.TAR_LAYERS.contains(mediaType)) {
      return tar.extract(layer);
    }
    if (MediaTypes.TAR_GZIP_LAYERS.contains(mediaType)) {
      try (InputStream unzipped = new GZIPInputStream(layer, 64 * 1024)) {
        return tar.extract(unzipped);
      } catch (ZipException e) {
        throw new BadImageException("image layer is not valid gzip: " + e.getMessage());
      }
    }
    throw new BadImageException("unsupported layer media type " + mediaType);
  }
}
