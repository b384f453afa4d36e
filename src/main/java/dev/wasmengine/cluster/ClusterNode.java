package dev.wasmengine.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.Local;
import dev.wasmengine.config.ClusterConfig;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.invoke.QueueBudget;
import dev.wasmengine.invoke.ShardStats;
import dev.wasmengine.registry.ReplicatedChange;
import dev.wasmengine.registry.Replication;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.FunctionStore;
import dev.wasmengine.store.TombstoneStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * This engine as a member of a cluster. It keeps the view of the other nodes (membership from
 * Hazelcast, load from their beacons), applies the changes other nodes make to the cluster's
 * function map, serves its modules and its status to peers, and at start reconciles its own
 * store with the map: whichever side holds the later revision of a function wins, in both
 * directions, so a node that restarts alone and a cluster restarted whole both come back with
 * every acknowledged change.
 */
public final class ClusterNode extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
  static final String POOL = "wasmengine-cluster";
  /** The member attribute where vertx-hazelcast keeps a member's event-bus node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";
  /** How often a change that could not be applied is tried again, and how many times. */
  private static final long RETRY_MILLIS = 2_000;
  private static final int RETRIES = 5;
  private static final long DRAIN_POLL_MILLIS = 20;
  private static final long DRAIN_LIMIT_MILLIS = 5_000;

  private final ClusterConfig config;
  private final HazelcastClusterManager manager;
  private final FunctionStore store;
  private final QueueBudget queue;
  private final int shards;
  private ShardStats shardStats;
  private final String httpAddress;
  private final Duration applyTimeout;
  private final Map<String, String> labels;
  private final ClusterView view;
  private final TombstoneStore tombstones;
  private WorkerExecutor blocking;
  private FunctionMap functions;
  private ReplicationAcks acks;
  private ClusterReplication replication;
  private ClusterRouter router;
  private UUID membershipRegistration;
  private UUID lifecycleRegistration;
  private UUID mapRegistration;
  private long beaconTimer = -1;
  private volatile boolean ready;
  private volatile boolean leaving;
  private volatile int functionCount;

  /**
   * @param httpAddress  host:port of this node's HTTP API, shown to the others
   * @param applyTimeout how long applying one change may take (it may pull and compile a module)
   */
  public ClusterNode(ClusterConfig config, HazelcastClusterManager manager, FunctionStore store,
      TombstoneStore tombstones, QueueBudget queue, int shards, String httpAddress, Duration applyTimeout) {
    this.config = config;
    this.manager = manager;
    this.store = store;
    this.tombstones = tombstones;
    this.queue = queue;
    this.shards = shards;
    this.httpAddress = httpAddress;
    this.applyTimeout = applyTimeout;
    this.labels = NodeLabels.of(config);
    this.view = new ClusterView(manager.getNodeId(),
        TimeUnit.MILLISECONDS.toNanos(config.beaconInterval().toMillis() * 3 + config.heartbeat().toMillis()));
  }

  /**
   * The registry's side of the cluster; valid from construction, working once this verticle is
   * deployed (the registry only calls it for changes, which come after the engine started).
   */
  public Replication replication(io.vertx.core.Vertx vertx) {
    if (replication == null) {
      blocking = vertx.createSharedWorkerExecutor(POOL, 2, applyTimeout.toMillis(), TimeUnit.MILLISECONDS);
      functions = new FunctionMap(manager.getHazelcastInstance());
      acks = new ReplicationAcks(vertx, config.replicationTimeout());
      replication = new ClusterReplication(vertx, blocking, functions, view, acks, tombstones, labels, applyTimeout);
    }
    return replication;
  }

  /** The router for {@code Addresses.INVOKE} on this node, sharing this node's view. */
  public VerticleBase router(long timeoutMillis) {
    if (router == null) {
      router = new ClusterRouter(view, labels, config.nodeName(), queue, shards, timeoutMillis);
    }
    return router;
  }

  @Override
  public Future<?> start() {
    replication(vertx);
    shardStats = new ShardStats(vertx.eventBus(), shards);
    // Hazelcast's calls block: they run on this node's cluster pool, never on the event loop.
    return blocking.executeBlocking(this::followMembersAndChanges, false)
        .compose(listening -> registerConsumers())
        .compose(reachable -> {
          beaconTimer = vertx.setPeriodic(config.beaconInterval().toMillis(), tick -> sendBeacon());
          return reconcile();
        })
        .onSuccess(done -> {
          ready = true;
          sendBeacon();
          LOG.info(() -> "node " + config.nodeName() + " joined cluster " + config.name() + " with "
              + view.memberIds().size() + " member(s)");
        });
  }

  /**
   * Vert.x's single node-listener slot is its own; members are followed through Hazelcast, each
   * named by the event-bus node id Vert.x stores on it. Changes other nodes make to the map are
   * applied here from now on (before reconciling, so that none falls between the two).
   */
  private Void followMembersAndChanges() {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    membershipRegistration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        nodeIdOf(event.getMember()).ifPresent(id -> context.runOnContext(ignored -> view.memberJoined(id)));
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        nodeIdOf(event.getMember()).ifPresent(id -> context.runOnContext(ignored -> departed(id)));
      }
    });
    hazelcast.getCluster().getMembers().forEach(member -> nodeIdOf(member).ifPresent(view::memberJoined));
    mapRegistration = functions.listen((key, entry) -> {
      if (!entry.origin().equals(view.selfId())) {
        context.runOnContext(ignored -> applyFromPeer(entry, 0));
      }
    });
    // A node cut off (or frozen) and back merges into the cluster without events for what
    // changed meanwhile: it reconciles as at start.
    lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        context.runOnContext(ignored -> reconcile()
            .onSuccess(done -> LOG.info(() -> "node " + config.nodeName() + " merged back into the cluster"))
            .onFailure(failure -> LOG.warning(() -> "reconciling after a merge failed: " + failure.getMessage())));
      }
    });
    return null;
  }

  /** Completes once the peers can reach this node's addresses (registering them is cluster-wide). */
  private Future<Void> registerConsumers() {
    var bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.FUNCTION_CHANGED, changed -> refreshCount());
    bus.<JsonObject>localConsumer(Addresses.CLUSTER_STATUS, request -> {
      boolean detail = request.body() == null || request.body().getBoolean("detail", true);
      (detail ? clusterStatus() : Future.succeededFuture(clusterSummary()))
          .onSuccess(request::reply).onFailure(failure -> Failures.reply(request, failure));
    });
    return Future.all(List.of(
        bus.<JsonObject>consumer(ClusterAddresses.BEACONS, beacon -> view.beacon(NodeBeacon.fromJson(beacon.body())))
            .completion(),
        bus.<String>consumer(ClusterAddresses.module(view.selfId()), this::serveModule).completion(),
        bus.<JsonObject>consumer(ClusterAddresses.applied(view.selfId()), applied -> acks.applied(
            applied.body().getString("key"), applied.body().getLong("revision"), applied.body().getString("node")))
            .completion(),
        bus.<JsonObject>consumer(ClusterAddresses.nodeStatus(view.selfId()), request -> nodeStatus()
            .onSuccess(request::reply).onFailure(failure -> Failures.reply(request, failure))).completion()))
        .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    // Peers stop routing here once they hear it; calls they routed here before finish first.
    leaving = true;
    vertx.cancelTimer(beaconTimer);
    sendBeacon();
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    return drained().compose(idle -> blocking.executeBlocking(() -> {
      functions.stopListening(mapRegistration);
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
      return null;
    })).eventually(() -> blocking.close());
  }

  /**
   * Completes when no call routed here by a peer is running, after at least one beacon interval
   * (so the peers heard this node is leaving), and at most after {@link #DRAIN_LIMIT_MILLIS}.
   */
  private Future<Void> drained() {
    Promise<Void> idle = Promise.promise();
    long started = System.nanoTime();
    long minimum = TimeUnit.MILLISECONDS.toNanos(config.beaconInterval().toMillis());
    long limit = TimeUnit.MILLISECONDS.toNanos(DRAIN_LIMIT_MILLIS);
    vertx.setPeriodic(DRAIN_POLL_MILLIS, timer -> {
      long waited = System.nanoTime() - started;
      boolean quiet = router == null || router.runningForPeers() == 0;
      if ((quiet && waited >= minimum) || waited >= limit) {
        vertx.cancelTimer(timer);
        idle.tryComplete();
      }
    });
    return idle.future();
  }

  private static Optional<String> nodeIdOf(Member member) {
    return Optional.ofNullable(member.getAttribute(VERTX_NODE_ID));
  }

  private void departed(String nodeId) {
    String name = view.nameOf(nodeId);
    view.memberLeft(nodeId);
    acks.departed(nodeId);
    LOG.warning(() -> "node " + name + " left the cluster");
  }

  private NodeBeacon currentBeacon() {
    return new NodeBeacon(view.selfId(), config.nodeName(), httpAddress, labels, ready, leaving,
        queue.waiting(), queue.limit(), functionCount);
  }

  private void sendBeacon() {
    NodeBeacon beacon = currentBeacon();
    view.beacon(beacon);
    vertx.eventBus().publish(ClusterAddresses.BEACONS, beacon.toJson());
  }

  // ---- changes made by other nodes ----------------------------------------------------

  /** Stores a peer's change here, tells the peer, and tries again later if it could not. */
  private void applyFromPeer(FunctionMap.Entry entry, int attempt) {
    ReplicatedChange change = entry.change();
    applyChange(entry)
        .onSuccess(applied -> {
          vertx.eventBus().send(ClusterAddresses.applied(entry.origin()), new JsonObject()
              .put("key", change.ref().key()).put("revision", change.revision()).put("node", view.selfId()));
        })
        .onFailure(failure -> {
          LOG.warning(() -> "cannot apply the change of " + change.ref() + " made by another node (attempt "
              + (attempt + 1) + "): " + failure.getMessage());
          if (attempt + 1 < RETRIES) {
            vertx.setTimer(RETRY_MILLIS, retry -> applyFromPeer(entry, attempt + 1));
          }
        });
  }

  /** Hands a change to the registry, which stores it if it is newer; a delete is remembered first. */
  private Future<Void> applyChange(FunctionMap.Entry entry) {
    ReplicatedChange change = entry.change();
    replication.rememberOrigin(change.ref(), entry.origin());
    Future<Void> remembered = change.isDelete()
        ? blocking.executeBlocking(() -> {
          replication.rememberDelete(change);
          return null;
        }, false)
        : Future.succeededFuture();
    return remembered
        .compose(done -> vertx.eventBus().<JsonObject>request(Addresses.REGISTRY_APPLY, change.toJson(),
            Local.delivery(applyTimeout.toMillis())))
        .mapEmpty();
  }

  /** The count the beacons carry, asked of the registry after each change (not listed and counted). */
  private void refreshCount() {
    vertx.eventBus().<JsonObject>request(Addresses.COUNT, new JsonObject(), Local.delivery())
        .onSuccess(count -> functionCount = count.body().getInteger("functions"));
  }

  // ---- reconciliation at start -----------------------------------------------------------

  /**
   * Pushes every local record and tombstone the map lacks or holds older, then applies every
   * map entry newer than what this node holds.
   */
  private Future<Void> reconcile() {
    return vertx.eventBus().<JsonObject>request(Addresses.LIST, new JsonObject(), Local.delivery())
        .compose(list -> {
          Map<String, FunctionRecord> local = new HashMap<>();
          list.body().getJsonArray("functions").forEach(json -> {
            FunctionRecord record = FunctionRecord.fromJson((JsonObject) json);
            local.put(record.ref().key(), record);
          });
          functionCount = local.size();
          return blocking.executeBlocking(() -> pushAndCollect(local), false);
        })
        .compose(newer -> {
          Future<Void> chain = Future.succeededFuture();
          for (FunctionMap.Entry entry : newer) {
            chain = chain.compose(done -> applyAtStart(entry));
          }
          return chain;
        });
  }

  private List<FunctionMap.Entry> pushAndCollect(Map<String, FunctionRecord> local) {
    Map<String, Long> deleted = tombstones.all();
    for (FunctionRecord record : local.values()) {
      push(ReplicatedChange.of(record));
    }
    deleted.forEach((key, revision) -> {
      if (!local.containsKey(key) || local.get(key).revision() < revision) {
        push(ReplicatedChange.deleted(refOf(key), revision));
      }
    });
    List<FunctionMap.Entry> newer = new ArrayList<>();
    functions.all().forEach((key, entry) -> {
      FunctionRecord mine = local.get(key);
      long known = Math.max(mine == null ? -1 : mine.revision(), deleted.getOrDefault(key, -1L));
      boolean unknownHere = mine == null && !entry.change().isDelete();
      if (entry.change().revision() > known && (unknownHere || mine != null)) {
        newer.add(entry);
      }
    });
    return newer;
  }

  /** Puts a change into the map unless the map already holds it or a later one. */
  private void push(ReplicatedChange change) {
    if (!functions.offer(new FunctionMap.Entry(change, view.selfId()))) {
      LOG.warning(() -> "could not reconcile " + change.ref() + " with the cluster: it kept changing");
    }
  }

  private Future<Void> applyAtStart(FunctionMap.Entry entry) {
    return applyChange(entry).recover(failure -> {
      // One function that cannot come over must not keep the node from serving the others.
      LOG.warning(() -> "cannot take " + entry.change().ref() + " from the cluster at start: " + failure.getMessage());
      return Future.succeededFuture();
    });
  }

  private static FunctionRef refOf(String key) {
    int slash = key.indexOf('/');
    return new FunctionRef(key.substring(0, slash), key.substring(slash + 1));
  }

  // ---- what this node serves to the others -------------------------------------------

  private void serveModule(Message<String> request) {
    ModuleDigest digest;
    try {
      digest = ModuleDigest.parse(request.body());
    } catch (RuntimeException e) {
      Failures.reply(request, e);
      return;
    }
    blocking.executeBlocking(() -> {
      if (!store.containsModule(digest)) {
        throw new NotFoundException("this node does not hold module " + digest);
      }
      return Buffer.buffer(store.readModule(digest));
    }, false).onSuccess(request::reply).onFailure(failure -> Failures.reply(request, failure));
  }

  /** This node's beacon plus, per function it runs, its instances and calls answered. */
  private Future<JsonObject> nodeStatus() {
    return shardStats.all().map(running -> currentBeacon().toJson().put("running", running));
  }

  /** Every member's status, as far as it answers within a second; a silent one shows as unreachable. */
  private Future<JsonObject> clusterStatus() {
    List<String> members = view.memberIds().stream().sorted().toList();
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String member : members) {
      Future<JsonObject> answer = member.equals(view.selfId())
          ? nodeStatus()
          : vertx.eventBus().<JsonObject>request(ClusterAddresses.nodeStatus(member), new JsonObject(),
              new DeliveryOptions().setSendTimeout(1_000)).map(Message::body);
      answers.add(answer.recover(failed -> Future.succeededFuture(new JsonObject().put("node_id", member)
          .put("name", view.nameOf(member)).put("reachable", false))));
    }
    return Future.join(answers).transform(done -> {
      JsonArray nodes = new JsonArray();
      answers.forEach(answer -> nodes.add(answer.result()
          .put("self", view.selfId().equals(answer.result().getString("node_id")))));
      return Future.succeededFuture(status(nodes));
    });
  }

  /** The members as their last beacons show them: nothing is asked of anyone. */
  private JsonObject clusterSummary() {
    JsonArray nodes = new JsonArray();
    view.beacons().forEach(beacon -> nodes.add(beacon.toJson().put("self", beacon.nodeId().equals(view.selfId()))));
    return status(nodes);
  }

  private JsonObject status(JsonArray members) {
    return new JsonObject()
        .put("enabled", true)
        .put("cluster", config.name())
        .put("node", config.nodeName())
        .put("members", members);
  }
}
