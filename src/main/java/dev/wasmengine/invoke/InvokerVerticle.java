package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.Local;
import dev.wasmengine.config.InvokeConfig;
import dev.wasmengine.error.DeadlineExceededException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.InternalException;
import dev.wasmengine.error.LimitExceededException;
import dev.wasmengine.error.OverloadedException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.FunctionAbi;
import dev.wasmengine.runtime.FunctionCaller;
import dev.wasmengine.runtime.FunctionGrant;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.GuestLimits;
import dev.wasmengine.runtime.GuestResponse;
import dev.wasmengine.runtime.InstancePolicy;
import dev.wasmengine.runtime.ModuleCache;
import dev.wasmengine.runtime.ModuleShape;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.FunctionStore;
import dev.wasmengine.store.SecretStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * One invoker shard: a worker verticle that owns, for the functions hashed to it, the compiled
 * module, a pool of pre-instantiated instances, and the calls running and waiting. Its own
 * context only keeps books (no shared locks); guest code and instantiation run on the guest
 * scheduler. Calls past a function's concurrency wait in a bounded queue; past the queue they
 * are refused at once (429). Every call has a deadline after which its guest is stopped and its
 * instance discarded. Pools are refilled off the request path and drop to zero when idle.
 */
public final class InvokerVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(InvokerVerticle.class.getName());
  /** The named pool guest code runs on with the {@code workers} scheduler. */
  public static final String POOL = "wasmengine-guests";
  static final String WASMENGINE_IMPORTS = "wasmengine";

  /** What every shard shares: the compiled modules, the store, the config, the meters. */
  /**
   * What every shard of an engine shares.
   *
   * @param placedHere whether this node keeps warm instances of a function (in a cluster, its
   *                   constraints may send it elsewhere); restored functions are warmed only then
   */
  public record Shared(ModuleCache modules, FunctionStore store, SecretStore secrets, InvokeConfig config,
      GuestLimits limits, InvokeMetrics metrics, QueueBudget budget, ExecutorService virtualThreads,
      Predicate<FunctionRecord> placedHere) {}

  private final Shared shared;
  private final InvokeConfig config;
  private final int shard;
  private final int shards;
  /** Functions of this shard, resolved or being resolved. */
  private final Map<FunctionRef, Future<FunctionSlot>> slots = new HashMap<>();
  /** Calls answered per function; kept across updates and scaling, dropped with the function. */
  private final Map<FunctionRef, Long> invocations = new HashMap<>();
  private FunctionLogs logs;
  private GuestScheduler scheduler;
  private GuestScheduler nested;
  private FunctionClient client;

  public InvokerVerticle(Shared shared, int shard, int shards) {
    this.shared = shared;
    this.config = shared.config();
    this.shard = shard;
    this.shards = shards;
  }

  @Override
  public Future<?> start() {
    long maxExecute = config.maxExecuteTime().toMillis();
    nested = GuestScheduler.virtual(shared.virtualThreads());
    scheduler = config.scheduler() == InvokeConfig.Scheduler.WORKERS
        ? GuestScheduler.workers(vertx.createSharedWorkerExecutor(POOL, config.guestThreads(), maxExecute, TimeUnit.MILLISECONDS))
        : nested;
    client = FunctionClient.forShards(vertx, config.timeout(), shards);
    logs = new FunctionLogs(vertx.eventBus());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.FUNCTION_CHANGED, message -> changed(message.body()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.prewarmShard(shard), this::prewarm);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.statsShard(shard), message -> message.reply(stats()));
    long checkEvery = Math.max(10, Math.min(1000, config.idle().toMillis() / 2));
    vertx.setPeriodic(checkEvery, id -> scaleDownIdle());
    return vertx.eventBus().<Object>localConsumer(Addresses.invokeShard(shard), this::accept).completion()
        .onSuccess(ready -> prewarmRestored());
  }

  @Override
  public Future<?> stop() {
    slots.values().forEach(slot -> slot.onSuccess(this::drop));
    if (scheduler != nested) {
      scheduler.close();
    }
    return Future.succeededFuture();
  }

  // ---- accepting calls -------------------------------------------------------------------

  private void accept(Message<Object> message) {
    long accepted = System.nanoTime();
    Optional<Invocation> read = Invocation.read(message);
    if (read.isEmpty()) {
      return;
    }
    Invocation invocation = read.get();
    if (invocation.depth() > config.maxCallDepth()) {
      Failures.reply(message, new LimitExceededException("call depth " + invocation.depth()
          + " is over the limit of " + config.maxCallDepth()));
      return;
    }
    PendingCall call = new PendingCall(invocation, message, accepted, accepted + config.timeout().toNanos());
    slot(invocation.function()).onComplete(resolved -> {
      if (resolved.failed()) {
        Failures.reply(message, resolved.cause());
      } else {
        admit(resolved.result(), call);
      }
    });
  }

  /**
   * Starts the call, queues it, or refuses it. Calls from other functions (depth > 0) start at
   * once: their callers wait for them, so queueing them behind their own callers (a function
   * calling itself, or A calling B calling A) could only end at the deadline. They are bounded
   * by the calls that made them and by the depth limit instead.
   */
  private void admit(FunctionSlot slot, PendingCall call) {
    FunctionSettings settings = slot.settings();
    FunctionRef function = slot.record().ref();
    if (slot.inFlightCount() < settings.maxInstances() || call.invocation().depth() > 0) {
      start(slot, call);
    } else if (slot.queuedCount() >= settings.queueBound()) {
      slot.meters.rejected("function_queue");
      Failures.reply(call.message(), new OverloadedException("function " + function + " has " + slot.inFlightCount()
          + " calls running and " + slot.queuedCount() + " waiting, its limits; try again later"));
    } else if (!shared.budget().tryTake()) {
      slot.meters.rejected("engine_queue");
      Failures.reply(call.message(), new OverloadedException("the engine has " + shared.budget().limit()
          + " calls waiting, its limit; try again later"));
    } else {
      slot.enqueue(call);
    }
  }

  /** Runs the next waiting calls while the function has room; calls whose caller gave up are dropped. */
  private void drain(FunctionSlot slot) {
    while (slot.inFlightCount() < slot.settings().maxInstances() && slot.queuedCount() > 0) {
      PendingCall call = slot.dequeue();
      shared.budget().giveBack();
      if (call.expired(System.nanoTime())) {
        Failures.reply(call.message(), new DeadlineExceededException("the call waited past its timeout in the queue"));
        continue;
      }
      start(slot, call);
    }
  }

  // ---- running calls ---------------------------------------------------------------------

  private void start(FunctionSlot slot, PendingCall call) {
    slot.started();
    slot.lastUsedNanos = System.nanoTime();
    slot.scaledToZero = false;
    Invocation invocation = call.invocation();
    String function = slot.record().name();
    GuestInstance warm = slot.takeWarm();
    if (slot.settings().policy() == InstancePolicy.FRESH) {
      // The instance will not come back: replace it now, so the next call finds one ready.
      refill(slot);
    }
    Instant deadline = Instant.now().plus(slot.settings().deadline());
    if (invocation.deadline().isPresent() && invocation.deadline().get().isBefore(deadline)) {
      deadline = invocation.deadline().get();
    }
    Instant callDeadline = deadline;
    AtomicReference<GuestInstance> running = new AtomicReference<>(warm);
    AtomicBoolean overdue = new AtomicBoolean();
    long watchdog = vertx.setTimer(Math.max(1, callDeadline.toEpochMilli() - System.currentTimeMillis()), id -> {
      overdue.set(true);
      GuestInstance instance = running.get();
      if (instance != null) {
        instance.interrupt();
      }
    });
    FunctionCaller caller = callsOthers(slot)
        ? new EventBusCaller(client, slot.record().namespace(), invocation.depth(), callDeadline, config.maxCallDepth())
        : FunctionCaller.NONE;
    GuestScheduler where = invocation.depth() > 0 ? nested : scheduler;
    long starting = System.nanoTime();
    where.run(() -> {
      GuestInstance instance = running.get();
      if (instance == null) {
        long started = System.nanoTime();
        instance = slot.module().instantiate();
        running.set(instance);
        slot.meters.instantiation(true, System.nanoTime() - started);
      }
      slot.meters.acquired(warm != null, System.nanoTime() - starting);
      if (overdue.get()) {
        throw new DeadlineExceededException("function " + function + " did not finish within its deadline");
      }
      return slot.abi().invoke(instance, function, invocation.guestRequest(), slot.grant(), shared.limits(), caller);
    }).onComplete(result -> {
      vertx.cancelTimer(watchdog);
      slot.finished();
      GuestInstance instance = running.get();
      boolean keep = result.succeeded() && slot.settings().policy() == InstancePolicy.REUSE && !slot.retired;
      if (keep) {
        slot.addWarm(instance);
      } else if (instance != null) {
        closeLater(instance);
      }
      answer(call, slot, result, warm == null, overdue.get());
      refill(slot);
      drain(slot);
    });
  }

  private static boolean callsOthers(FunctionSlot slot) {
    return slot.module().shape().imports().stream().anyMatch(i -> i.module().equals(WASMENGINE_IMPORTS));
  }

  private void answer(PendingCall call, FunctionSlot slot, AsyncResult<GuestResponse> result, boolean cold,
      boolean overdue) {
    long took = System.nanoTime() - call.acceptedNanos();
    FunctionRef function = slot.record().ref();
    invocations.merge(function, 1L, Long::sum);
    if (result.succeeded()) {
      GuestResponse response = result.result();
      slot.meters.invocation("success", took);
      logs.guestOutput(function, slot.instanceName(), response.stderr());
      DeliveryOptions reply = new DeliveryOptions()
          .addHeader(Addresses.STATUS_HEADER, Integer.toString(response.status()))
          .addHeader(Addresses.COLD_START_HEADER, Boolean.toString(cold));
      Invocation.encodeHeaders(response.headers(), Addresses.RESPONSE_HEADER, reply);
      call.message().reply(Buffer.buffer(response.body()), reply);
      return;
    }
    if (result.cause() instanceof GuestExitException exit) {
      logs.guestOutput(function, slot.instanceName(), exit.stderr());
    }
    EngineException failure = Failures.asEngineException(result.cause());
    if (overdue) {
      // Stopping a guest can surface as a trap or a closed context; the cause was the deadline.
      failure = new DeadlineExceededException("function " + function + " did not finish within its deadline");
    }
    slot.meters.invocation(failure.kind().name().toLowerCase(java.util.Locale.ROOT), took);
    logs.engine(function, "call failed (" + failure.kind().name().toLowerCase(java.util.Locale.ROOT) + "): "
        + failure.getMessage());
    Failures.reply(call.message(), failure);
  }

  // ---- pools -----------------------------------------------------------------------------

  /** Tops the pool up to the function's minimum, off the request path; completes when done. */
  private Future<Void> refill(FunctionSlot slot) {
    if (slot.retired || slot.scaledToZero) {
      return Future.succeededFuture();
    }
    int missing = slot.settings().minInstances() - slot.warmCount() - slot.refilling;
    List<Future<GuestInstance>> filling = new ArrayList<>();
    String function = slot.record().name();
    for (int i = 0; i < missing; i++) {
      slot.refilling++;
      long started = System.nanoTime();
      filling.add(scheduler.run(() -> slot.module().instantiate()).andThen(made -> {
        slot.refilling--;
        if (made.failed()) {
          LOG.warning(() -> "cannot pre-instantiate " + function + ": " + made.cause().getMessage());
          logs.engine(slot.record().ref(), "cannot make a warm instance: " + made.cause().getMessage());
        } else if (slot.retired || slot.scaledToZero) {
          closeLater(made.result());
        } else {
          slot.meters.instantiation(false, System.nanoTime() - started);
          slot.addWarm(made.result());
        }
      }));
    }
    return Future.join(filling).<Void>mapEmpty().recover(someFailed -> Future.succeededFuture());
  }

  private void scaleDownIdle() {
    long now = System.nanoTime();
    long idle = config.idle().toNanos();
    for (Future<FunctionSlot> resolved : slots.values()) {
      FunctionSlot slot = resolved.result();
      if (slot == null || slot.retired || slot.scaledToZero || slot.inFlightCount() > 0 || slot.queuedCount() > 0
          || now - slot.lastUsedNanos < idle) {
        continue;
      }
      slot.scaledToZero = true;
      closeWarm(slot);
      LOG.fine(() -> slot.record().name() + " idle: scaled to zero");
      logs.engine(slot.record().ref(), "idle: warm instances dropped (scaled to zero)");
    }
  }

  private void closeWarm(FunctionSlot slot) {
    for (GuestInstance instance = slot.takeWarm(); instance != null; instance = slot.takeWarm()) {
      closeLater(instance);
    }
  }

  /** Closing a GraalWasm context takes tens of microseconds: done off the shard's context. */
  private void closeLater(GuestInstance instance) {
    scheduler.run(() -> {
      instance.close();
      return null;
    });
  }

  // ---- knowing functions -----------------------------------------------------------------

  private Future<FunctionSlot> slot(FunctionRef function) {
    Future<FunctionSlot> known = slots.get(function);
    if (known != null) {
      return known;
    }
    Future<FunctionSlot> resolving = resolve(function);
    slots.put(function, resolving);
    resolving.onFailure(failed -> slots.remove(function, resolving));
    return resolving;
  }

  /** Asks the registry for the function, compiles it (once per digest), fills its pool. */
  private Future<FunctionSlot> resolve(FunctionRef function) {
    return vertx.eventBus().<JsonObject>request(Addresses.QUERY, function.toJson(), Local.delivery())
        .recover(failure -> Future.failedFuture(Failures.fromReply(failure)))
        .compose(reply -> {
          FunctionRecord record = FunctionRecord.fromJson(reply.body());
          FunctionSettings settings = FunctionSettings.of(record, config);
          return scheduler.run(() -> {
            CompiledModule module = shared.modules().get(record.executionModel(), record.digest(),
                settings.maxMemoryPages(), () -> readModule(record));
            return new FunctionSlot(record, module, FunctionAbi.of(record.kind()), settings, grant(record),
                record.name() + "-" + shard);
          });
        })
        .compose(slot -> {
          slot.meters = shared.metrics().forFunction(slot);
          return refill(slot).map(slot);
        });
  }

  private byte[] readModule(FunctionRecord record) {
    try {
      return shared.store().readModule(record.digest());
    } catch (IOException e) {
      throw new InternalException("cannot read the module of " + record.ref(), e);
    }
  }

  /** The function's envVars and the values of the secrets it names, read once per resolve. */
  private FunctionGrant grant(FunctionRecord record) {
    Map<String, byte[]> secrets = new java.util.LinkedHashMap<>();
    for (String name : record.options().secrets()) {
      try {
        byte[] value = shared.secrets().read(record.namespace(), name).orElseThrow(() ->
            new InternalException("secret " + name + " of " + record.ref() + " is missing from the store"));
        secrets.put(name, value);
      } catch (IOException e) {
        throw new InternalException("cannot read secret " + name + " of " + record.ref(), e);
      }
    }
    return new FunctionGrant(record.options().envVars(), secrets);
  }

  private void changed(JsonObject body) {
    FunctionRef function;
    try {
      function = FunctionRef.from(body);
    } catch (EngineException e) {
      LOG.warning(() -> "ignored a malformed function change: " + e.getMessage());
      return;
    }
    if ("deleted".equals(body.getString("change"))) {
      invocations.remove(function);
    }
    retire(function);
  }

  /** The function changed or went away: later calls resolve it anew; running ones finish as they are. */
  private void retire(FunctionRef function) {
    Future<FunctionSlot> old = slots.remove(function);
    if (old != null) {
      old.onSuccess(this::drop);
    }
  }

  private void drop(FunctionSlot slot) {
    slot.retired = true;
    closeWarm(slot);
    slot.meters.remove();
  }

  private void prewarm(Message<JsonObject> message) {
    FunctionRef function;
    try {
      function = FunctionRef.from(message.body() == null ? new JsonObject() : message.body());
    } catch (EngineException e) {
      Failures.reply(message, e);
      return;
    }
    slot(function).compose(slot -> refill(slot).map(slot))
        .onSuccess(slot -> {
          logs.engine(function, slot.warmCount() + " warm instance(s) ready");
          message.reply(new JsonObject().put("warm", slot.warmCount()));
        })
        .onFailure(failure -> Failures.reply(message, failure));
  }

  /** Functions restored from the store get their warm instances too, in the background. */
  private void prewarmRestored() {
    vertx.eventBus().<JsonObject>request(Addresses.LIST, new JsonObject(), Local.delivery()).onSuccess(reply -> {
      JsonArray functions = reply.body().getJsonArray("functions", new JsonArray());
      for (int i = 0; i < functions.size(); i++) {
        FunctionRecord record = FunctionRecord.fromJson(functions.getJsonObject(i));
        if (Addresses.shardOf(record.ref(), shards) == shard && shared.placedHere().test(record)) {
          slot(record.ref());
        }
      }
    });
  }

  /** For the metrics and tests of this package. */
  static boolean importsWasmengine(ModuleShape shape) {
    return shape.imports().stream().anyMatch(i -> i.module().equals(WASMENGINE_IMPORTS));
  }

  /** Per function of this shard: calls answered, instances warm, calls running. */
  private JsonObject stats() {
    JsonObject functions = new JsonObject();
    invocations.forEach((function, count) -> functions.put(function.key(), new JsonObject()
        .put("invocations", count).put("warm", 0).put("running", 0)));
    slots.forEach((function, resolved) -> {
      FunctionSlot slot = resolved.result();
      if (slot != null) {
        functions.put(function.key(), new JsonObject()
            .put("invocations", invocations.getOrDefault(function, 0L))
            .put("warm", slot.warmCount())
            .put("running", slot.inFlightCount()));
      }
    });
    return new JsonObject().put("functions", functions);
  }

  CompiledModule moduleOf(FunctionRef function) {
    Future<FunctionSlot> slot = slots.get(function);
    return slot == null || slot.result() == null ? null : slot.result().module();
  }
}
