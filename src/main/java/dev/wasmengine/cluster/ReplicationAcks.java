package dev.wasmengine.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The peers that still have to apply a change this node made. A change is answered once every
 * peer that was ready when it was made has applied it, or has left, or the wait ran out (the
 * change is safe in the cluster map either way; a late peer catches up from there).
 */
final class ReplicationAcks {
  private static final Logger LOG = Logger.getLogger(ReplicationAcks.class.getName());

  private record Waiting(Set<String> peers, Promise<Void> done) {}

  private final Vertx vertx;
  private final Duration timeout;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  ReplicationAcks(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  private static String id(String key, long revision) {
    return key + "@" + revision;
  }

  /** Registered as soon as the change is in the map: a fast peer may answer before anyone awaits. */
  void expect(String key, long revision, Set<String> peers) {
    Waiting entry = new Waiting(ConcurrentHashMap.newKeySet(), Promise.promise());
    entry.peers().addAll(peers);
    waiting.put(id(key, revision), entry);
    if (peers.isEmpty()) {
      entry.done().tryComplete();
    }
  }

  Future<Void> await(String key, long revision) {
    String id = id(key, revision);
    Waiting entry = waiting.get(id);
    if (entry == null) {
      return Future.succeededFuture();
    }
    long timer = vertx.setTimer(timeout.toMillis(), fired -> {
      if (entry.done().tryComplete()) {
        LOG.warning(() -> "change " + id + " answered before node(s) " + new HashSet<>(entry.peers())
            + " applied it: they did not within " + timeout.toMillis() + " ms");
      }
    });
    return entry.done().future().onComplete(done -> {
      vertx.cancelTimer(timer);
      waiting.remove(id);
    });
  }

  void applied(String key, long revision, String peer) {
    Waiting entry = waiting.get(id(key, revision));
    if (entry != null) {
      settle(entry, peer);
    }
  }

  /** A peer that left owes nothing. */
  void departed(String peer) {
    waiting.values().forEach(entry -> settle(entry, peer));
  }

  private static void settle(Waiting entry, String peer) {
    entry.peers().remove(peer);
    if (entry.peers().isEmpty()) {
      entry.done().tryComplete();
    }
  }
}
