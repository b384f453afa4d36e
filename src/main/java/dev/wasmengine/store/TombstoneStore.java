package dev.wasmengine.store;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The deletes a cluster node knows of, by function key and revision, in {@code cluster/tombstones.json}
 * under the data directory (rewritten atomically). They outlive a restart of the whole cluster, so
 * that a node that missed a delete cannot bring the function back.
 */
public final class TombstoneStore {
  private static final Logger LOG = Logger.getLogger(TombstoneStore.class.getName());

  private final Path file;
  private final Map<String, Long> tombstones = new HashMap<>();

  private TombstoneStore(Path file) {
    this.file = file;
  }

  public static TombstoneStore open(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("cluster");
    Files.createDirectories(dir);
    AtomicFiles.removeTempFiles(dir);
    TombstoneStore store = new TombstoneStore(dir.resolve("tombstones.json"));
    if (Files.isRegularFile(store.file)) {
      try {
        new JsonObject(Files.readString(store.file, StandardCharsets.UTF_8))
            .forEach(entry -> store.tombstones.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
      } catch (DecodeException | ClassCastException e) {
        // Only a hand edit can do this (writes are atomic); without it a node may revive deleted functions.
        LOG.severe(() -> "unreadable " + store.file + ", starting without tombstones: " + e.getMessage());
      }
    }
    return store;
  }

  public synchronized Map<String, Long> all() {
    return Map.copyOf(tombstones);
  }

  /** Records a delete unless a later one of the same function is known. */
  public synchronized void put(String key, long revision) throws IOException {
    Long known = tombstones.get(key);
    if (known != null && known >= revision) {
      return;
    }
    tombstones.put(key, revision);
    AtomicFiles.write(file, new JsonObject(new HashMap<>(tombstones)).encode().getBytes(StandardCharsets.UTF_8));
  }
}
