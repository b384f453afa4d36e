package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadImageException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The rules for reading function images out of manifests and indexes, wherever they come from. */
public final class Manifests {
  private Manifests() {}

  public static JsonObject json(Buffer bytes, String what) {
    String text = bytes.toString(StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      try {
        return new JsonObject(text);
      } catch (DecodeException e) {
        // reported below
      }
    }
    throw new BadImageException(what + " is not a JSON object");
  }

  /** An index (OCI image index or Docker manifest list), by media type or by shape. */
  public static boolean isIndex(String mediaType, JsonObject json) {
    String declared = json.getValue("mediaType") instanceof String text ? text : mediaType;
    return MediaTypes.INDEXES.contains(declared) || (declared.isEmpty() && json.getValue("manifests") instanceof JsonArray);
  }

  public static List<Descriptor> entries(JsonObject index, String what) {
    if (!(index.getValue("manifests") instanceof JsonArray list) || list.isEmpty()) {
      throw new BadImageException(what + " lists no manifests");
    }
    List<Descriptor> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      entries.add(Descriptor.of(list.getValue(i) instanceof JsonObject o ? o : null, what + " entry " + i));
    }
    return entries;
  }

  /**
   * The single layer a function image consists of; refuses zero or several layers and layer
   * types that hold no module, naming what was found.
   */
  public static Descriptor moduleLayer(JsonObject manifest) {
    if (!(manifest.getValue("layers") instanceof JsonArray layers) || layers.size() != 1) {
      int count = manifest.getValue("layers") instanceof JsonArray layers ? layers.size() : 0;
      throw new BadImageException("image has " + count
          + " layers; a function image has exactly one layer holding the module");
    }
    Descriptor layer = Descriptor.of(layers.getValue(0) instanceof JsonObject o ? o : null, "layer");
    if (!MediaTypes.isModuleLayer(layer.mediaType())) {
      throw new BadImageException("unsupported layer media type \"" + layer.mediaType()
          + "\"; expected application/wasm or a tar(+gzip) layer");
    }
    return layer;
  }
}
