package dev.wasmengine.registry;

import dev.wasmengine.error.BadImageException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Picks the entry of an image index a Wasm engine can run. */
final class PlatformChoice {
  private PlatformChoice() {}

  /** Prefers wasip1/wasm, then wasi/wasm, then the only entry there is. */
  static JsonObject pick(List<JsonObject> manifests) {
    for (String os : List.of("wasip1", "wasi")) {
      for (JsonObject manifest : manifests) {
        JsonObject platform = manifest.getJsonObject("platform", new JsonObject());
        if (os.equals(platform.getString("os")) && "wasm".equals(platform.getString("architecture"))) {
          return manifest;
        }
      }
    }
    if (manifests.size() == 1) {
      return manifests.get(0);
    }
    throw new BadImageException("image index has " + manifests.size() + " entries and none for wasip1/wasm or wasi/wasm");
  }
}
