package dev.wasmengine.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.wasmengine.registry.ReplicatedChange;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The cluster's functions: a Hazelcast map (with backups on other members) from function key to
 * its latest change and the node that made it. Entries are never removed; a delete leaves a
 * tombstone. Every call blocks: callers run it on a worker.
 */
final class FunctionMap {
  /** A change and the node that made it. */
  record Entry(ReplicatedChange change, String origin) {
    String encode() {
      return change.toJson().put("origin", origin).encode();
    }

    static Entry decode(String value) {
      JsonObject json = new JsonObject(value);
      return new Entry(ReplicatedChange.fromJson(json), json.getString("origin", ""));
    }
  }

  private static final int OFFER_ATTEMPTS = 3;

  private final IMap<String, String> map;

  FunctionMap(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(ClusterSetup.FUNCTIONS_MAP);
  }

  /** The entry as a value that compare-and-set operations can name. */
  Optional<String> raw(String key) {
    return Optional.ofNullable(map.get(key));
  }

  boolean putIfAbsent(String key, Entry entry) {
    return map.putIfAbsent(key, entry.encode()) == null;
  }

  /** Replaces the entry only if it is still {@code expected}: one of two racing changes wins. */
  boolean replace(String key, String expected, Entry entry) {
    return map.replace(key, expected, entry.encode());
  }

  /**
   * Puts the entry unless the map already holds its change or a later one of the function;
   * false when other changes kept winning the race for a few attempts.
   */
  boolean offer(Entry entry) {
    String key = entry.change().ref().key();
    for (int attempt = 0; attempt < OFFER_ATTEMPTS; attempt++) {
      Optional<String> raw = raw(key);
      boolean settled = raw.isEmpty()
          ? putIfAbsent(key, entry)
          : Entry.decode(raw.get()).change().revision() >= entry.change().revision() || replace(key, raw.get(), entry);
      if (settled) {
        return true;
      }
    }
    return false;
  }

  Map<String, Entry> all() {
    Map<String, Entry> entries = new HashMap<>();
    map.entrySet().forEach(entry -> entries.put(entry.getKey(), Entry.decode(entry.getValue())));
    return entries;
  }

  /** Calls {@code listener} with every entry added or changed, on any member, from now on. */
  UUID listen(BiConsumer<String, Entry> listener) {
    return map.addEntryListener(new Listener(listener), true);
  }

  void stopListening(UUID registration) {
    map.removeEntryListener(registration);
  }

  private record Listener(BiConsumer<String, Entry> listener)
      implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      listener.accept(event.getKey(), Entry.decode(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      listener.accept(event.getKey(), Entry.decode(event.getValue()));
    }
  }
}
