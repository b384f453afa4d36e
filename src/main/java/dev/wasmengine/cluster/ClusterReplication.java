package dev.wasmengine.cluster;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.ConflictException;
import dev.wasmengine.error.UnavailableException;
import dev.wasmengine.registry.Replication;
import dev.wasmengine.registry.ReplicatedChange;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.PlacementConstraints;
import dev.wasmengine.store.TombstoneStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The registry's changes made the cluster's: each is a compare-and-set on the cluster's function
 * map (so of two nodes changing one function, one wins and the other answers 409), and is
 * answered once the ready peers applied it. Modules of functions other nodes deployed come from
 * a peer that holds them.
 */
final class ClusterReplication implements Replication {
  private static final Logger LOG = Logger.getLogger(ClusterReplication.class.getName());

  private final Vertx vertx;
  private final WorkerExecutor blocking;
  private final FunctionMap map;
  private final ClusterView view;
  private final ReplicationAcks acks;
  private final TombstoneStore tombstones;
  private final Map<String, String> selfLabels;
  private final Duration moduleTimeout;
  private final AtomicLong lastRevision = new AtomicLong();
  /** Which node made the latest change of a function: the first peer to ask for its module. */
  private final Map<FunctionRef, String> origins = new ConcurrentHashMap<>();

  ClusterReplication(Vertx vertx, WorkerExecutor blocking, FunctionMap map, ClusterView view, ReplicationAcks acks,
      TombstoneStore tombstones, Map<String, String> selfLabels, Duration moduleTimeout) {
    this.vertx = vertx;
    this.blocking = blocking;
    this.map = map;
    this.view = view;
    this.acks = acks;
    this.tombstones = tombstones;
    this.selfLabels = Map.copyOf(selfLabels);
    this.moduleTimeout = moduleTimeout;
  }

  /** Microseconds of the wall clock, never repeating on this node, always past the one replaced. */
  @Override
  public long nextRevision(Optional<FunctionRecord> current) {
    long floor = current.map(record -> record.revision() + 1).orElse(0L);
    long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    return lastRevision.updateAndGet(last -> Math.max(Math.max(last + 1, now), floor));
  }

  @Override
  public Future<Void> claim(FunctionRef ref, Optional<FunctionRecord> current, Optional<FunctionRecord> next,
      long revision) {
    ReplicatedChange change = next.map(ReplicatedChange::of).orElseGet(() -> ReplicatedChange.deleted(ref, revision));
    FunctionMap.Entry entry = new FunctionMap.Entry(change, view.selfId());
    return blocking.<Void>executeBlocking(() -> {
      compareAndSet(ref, current, entry);
      acks.expect(ref.key(), revision, view.readyPeers());
      if (change.isDelete()) {
        tombstones.put(ref.key(), revision);
      }
      return null;
    }, false);
  }

  private void compareAndSet(FunctionRef ref, Optional<FunctionRecord> current, FunctionMap.Entry entry)
      throws IOException {
    String key = ref.key();
    Optional<String> raw = map.raw(key);
    if (raw.isEmpty()) {
      if (!map.putIfAbsent(key, entry)) {
        throw new ConflictException("function " + ref + " was changed on another node at the same time; try again");
      }
      return;
    }
    FunctionMap.Entry existing = FunctionMap.Entry.decode(raw.get());
    boolean liveElsewhere = !existing.change().isDelete()
        && (current.isEmpty() || existing.change().revision() != current.get().revision());
    if (liveElsewhere) {
      throw new ConflictException(current.isEmpty()
          ? "function " + ref + " already exists in the cluster; delete it first"
          : "function " + ref + " was changed on another node; try again");
    }
    if (existing.change().revision() >= entry.change().revision() || !map.replace(key, raw.get(), entry)) {
      throw new ConflictException("function " + ref + " was changed on another node at the same time; try again");
    }
  }

  @Override
  public Future<Void> settle(FunctionRef ref, long revision) {
    return acks.await(ref.key(), revision);
  }

  void rememberOrigin(FunctionRef ref, String nodeId) {
    origins.put(ref, nodeId);
  }

  /** Asks the node that made the change first, then every other member, for the module by digest. */
  @Override
  public Future<byte[]> module(FunctionRecord record) {
    List<String> peers = new ArrayList<>();
    Optional.ofNullable(origins.get(record.ref())).filter(id -> !id.equals(view.selfId())).ifPresent(peers::add);
    view.memberIds().stream()
        .filter(id -> !id.equals(view.selfId()) && !peers.contains(id))
        .sorted()
        .forEach(peers::add);
    return askPeers(record, peers, 0);
  }

  private Future<byte[]> askPeers(FunctionRecord record, List<String> peers, int index) {
    if (index >= peers.size()) {
      return Future.failedFuture(new UnavailableException("no node of the cluster holds module " + record.digest()
          + " of function " + record.ref()));
    }
    String peer = peers.get(index);
    return vertx.eventBus().<Buffer>request(ClusterAddresses.module(peer), record.digest().toString(),
            new DeliveryOptions().setSendTimeout(moduleTimeout.toMillis()))
        .map(reply -> reply.body().getBytes())
        .recover(failed -> {
          LOG.info(() -> "node " + peer + " could not give module " + record.digest() + ": " + failed.getMessage());
          return askPeers(record, peers, index + 1);
        });
  }

  @Override
  public boolean placedHere(FunctionRecord record) {
    return PlacementConstraints.of(record.options()).allows(selfLabels);
  }

  /** Writes a delete another node made to this node's tombstones (blocking). */
  void rememberDelete(ReplicatedChange change) {
    try {
      tombstones.put(change.ref().key(), change.revision());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
