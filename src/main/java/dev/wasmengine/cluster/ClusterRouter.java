package dev.wasmengine.cluster;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.Local;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.UnavailableException;
import dev.wasmengine.invoke.Invocation;
import dev.wasmengine.invoke.QueueBudget;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.PlacementConstraints;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves {@link Addresses#INVOKE} on a cluster node. A call runs here when the function's
 * constraints allow this node and it is not overloaded; otherwise it goes to the least loaded
 * peer that may run it, and the answer comes back the same way. Calls in flight on a peer that
 * leaves the cluster fail at once (503) instead of waiting for their deadline. Calls routed here
 * by peers run on this node's invokers without further routing.
 */
final class ClusterRouter extends VerticleBase {
  /** Response header naming the node that ran the call. */
  static final String SERVED_BY = "X-Served-By";

  private final ClusterView view;
  private final Map<String, String> selfLabels;
  private final String selfName;
  private final QueueBudget queue;
  private final int shards;
  private final long timeoutMillis;
  /** The constraints of each function called lately; dropped when the function changes. */
  private final Map<FunctionRef, PlacementConstraints> placements = new ConcurrentHashMap<>();
  /** Calls peers routed here that have not been answered yet; a leaving node waits for them. */
  private final AtomicInteger forPeers = new AtomicInteger();
  /** Calls waiting on each peer, failed when it leaves. */
  private final Map<String, Set<Promise<Message<Buffer>>>> inFlight = new ConcurrentHashMap<>();

  ClusterRouter(ClusterView view, Map<String, String> selfLabels, String selfName, QueueBudget queue, int shards,
      long timeoutMillis) {
    this.view = view;
    this.selfLabels = Map.copyOf(selfLabels);
    this.selfName = selfName;
    this.queue = queue;
    this.shards = shards;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<?> start() {
    view.onDeparture((nodeId, name) -> context.runOnContext(ignored -> failCallsOn(nodeId, name)));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.FUNCTION_CHANGED,
        changed -> placements.remove(FunctionRef.from(changed.body())));
    return Future.all(
        vertx.eventBus().<Object>localConsumer(Addresses.INVOKE, this::route).completion(),
        vertx.eventBus().<Object>consumer(ClusterAddresses.invoke(view.selfId()), this::runHere).completion());
  }

  private void route(Message<Object> message) {
    Invocation.read(message).ifPresent(invocation -> placement(invocation.function())
        .onSuccess(constraints -> dispatch(message, invocation, constraints, new HashSet<>()))
        .onFailure(failure -> Failures.reply(message, Failures.fromReply(failure))));
  }

  private Future<PlacementConstraints> placement(FunctionRef function) {
    PlacementConstraints known = placements.get(function);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.QUERY, function.toJson(), Local.delivery())
        .map(reply -> {
          PlacementConstraints constraints = PlacementConstraints.of(FunctionRecord.fromJson(reply.body()).options());
          placements.put(function, constraints);
          return constraints;
        });
  }

  private void dispatch(Message<Object> message, Invocation invocation, PlacementConstraints constraints,
      Set<String> tried) {
    boolean allowedHere = constraints.allows(selfLabels);
    if (allowedHere && !overloadedHere()) {
      runLocally(message, invocation);
      return;
    }
    var peer = view.pickPeer(constraints, tried);
    if (peer.isEmpty()) {
      if (allowedHere) {
        runLocally(message, invocation);
      } else {
        Failures.reply(message, new UnavailableException("no node of the cluster can run function "
            + invocation.function() + " now (its constraints: " + constraints + ")"));
      }
      return;
    }
    String nodeId = peer.get().nodeId();
    Promise<Message<Buffer>> answer = Promise.promise();
    inFlight.computeIfAbsent(nodeId, id -> ConcurrentHashMap.newKeySet()).add(answer);
    vertx.eventBus().<Buffer>request(ClusterAddresses.invoke(nodeId), invocation.input(),
            invocation.deliveryOptions(timeoutMillis).setLocalOnly(false))
        .onSuccess(answer::tryComplete)
        .onFailure(answer::tryFail);
    answer.future().onComplete(done -> {
      Set<Promise<Message<Buffer>>> calls = inFlight.get(nodeId);
      if (calls != null) {
        calls.remove(answer);
      }
    }).onSuccess(reply -> relay(message, reply, null)).onFailure(failure -> {
      if (neverArrived(failure)) {
        // Nobody there took it, so it did not run: another node may.
        view.suspect(nodeId);
        tried.add(nodeId);
        dispatch(message, invocation, constraints, tried);
      } else {
        Failures.reply(message, Failures.fromReply(failure));
      }
    });
  }

  private static boolean neverArrived(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private boolean overloadedHere() {
    return NodeBeacon.overloaded(queue.waiting(), queue.limit());
  }

  /** A call a peer routed here: it runs on this node's invokers, whatever this node's load. */
  private void runHere(Message<Object> message) {
    Invocation.read(message).ifPresent(invocation -> {
      forPeers.incrementAndGet();
      runLocally(message, invocation).onComplete(done -> forPeers.decrementAndGet());
    });
  }

  int runningForPeers() {
    return forPeers.get();
  }

  private Future<Message<Buffer>> runLocally(Message<Object> message, Invocation invocation) {
    return vertx.eventBus().<Buffer>request(Addresses.invokeShard(invocation.function(), shards), invocation.input(),
            invocation.deliveryOptions(timeoutMillis))
        .onSuccess(reply -> relay(message, reply, selfName))
        .onFailure(failure -> Failures.reply(message, Failures.fromReply(failure)));
  }

  /** Passes an answer on; the node that ran the call adds its name. */
  private static void relay(Message<Object> message, Message<Buffer> reply, String ranOn) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(reply.headers());
    if (ranOn != null) {
      headers.add(Addresses.RESPONSE_HEADER, SERVED_BY + ": " + ranOn);
    }
    message.reply(reply.body(), new DeliveryOptions().setHeaders(headers));
  }

  private void failCallsOn(String nodeId, String name) {
    Set<Promise<Message<Buffer>>> calls = inFlight.remove(nodeId);
    if (calls == null || calls.isEmpty()) {
      return;
    }
    EngineException failure = new UnavailableException("node " + name + " left the cluster during the call;"
        + " the call may or may not have run");
    calls.forEach(call -> call.tryFail(failure));
  }
}
