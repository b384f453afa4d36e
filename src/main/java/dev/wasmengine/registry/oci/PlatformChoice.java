package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadImageException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Picks the entry of an image index a Wasm engine can run. */
public final class PlatformChoice {
  private PlatformChoice() {}

  /**
   * Prefers wasip1/wasm, then wasi/wasm, then the one entry that names no platform or a wasm
   * architecture. An entry for another platform (linux/amd64...) is never taken.
   */
  public static Descriptor pick(List<Descriptor> entries) {
    for (String os : List.of("wasip1", "wasi")) {
      for (Descriptor entry : entries) {
        if (os.equals(platform(entry).getString("os")) && "wasm".equals(platform(entry).getString("architecture"))) {
          return entry;
        }
      }
    }
    List<Descriptor> unspecified = entries.stream()
        .filter(entry -> platform(entry).isEmpty() || "wasm".equals(platform(entry).getString("architecture")))
        .toList();
    if (unspecified.size() == 1) {
      return unspecified.get(0);
    }
    List<String> platforms = entries.stream()
        .map(entry -> platform(entry).getString("os", "?") + "/" + platform(entry).getString("architecture", "?"))
        .toList();
    throw new BadImageException("image index has " + entries.size()
        + " entries and no entry for wasip1/wasm or wasi/wasm (platforms: " + String.join(", ", platforms) + ")");
  }

  private static JsonObject platform(Descriptor entry) {
    return entry.raw().getValue("platform") instanceof JsonObject platform ? platform : new JsonObject();
  }
}
