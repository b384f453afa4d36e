package dev.wasmengine.registry;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.error.ConflictException;
import dev.wasmengine.error.InternalException;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.FunctionAbi;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleCache;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasiContext;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Owns the set of deployed functions and the store. A deploy reads the image, checks the module
 * against its ABI, compiles it (once per digest), proves it instantiates, stores it, and only
 * then answers; a function becomes visible only once durable. File I/O and compiles run on the
 * {@value #POOL} worker pool; store changes run there one at a time, in order.
 */
public final class RegistryVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RegistryVerticle.class.getName());
  static final String POOL = "wasmengine-registry";

  private final FunctionStore store;
  private final ModuleCache modules;
  private final ExecutionModel defaultModel;
  private final LocalImages images;
  private final Duration maxExecuteTime;

  /** Durable functions by name; written only by ordered store tasks, read anywhere. */
  private final Map<String, FunctionRecord> functions = new ConcurrentHashMap<>();
  /** Names with a deploy in progress (event-loop only). */
  private final Set<String> deploying = new HashSet<>();
  /** Modules stored by deploys that have not saved their record yet; cleanup must spare them. */
  private final Set<ModuleDigest> inFlight = ConcurrentHashMap.newKeySet();

  private WorkerExecutor io;

  public RegistryVerticle(FunctionStore store, ModuleCache modules, ExecutionModel defaultModel,
      long maxModuleBytes, Duration maxExecuteTime) {
    this.store = store;
    this.modules = modules;
    this.defaultModel = defaultModel;
    this.images = new LocalImages(maxModuleBytes);
    this.maxExecuteTime = maxExecuteTime;
  }

  @Override
  public Future<?> start() {
    io = vertx.createSharedWorkerExecutor(POOL, 2, maxExecuteTime.toMillis(), TimeUnit.MILLISECONDS);
    return ordered(this::restore).compose(restored -> {
      consume(Addresses.DEPLOY, this::deploy);
      consume(Addresses.DELETE, this::delete);
      consume(Addresses.QUERY, this::query);
      consume(Addresses.LIST, body -> Future.succeededFuture(list()));
      LOG.info(() -> "restored " + restored + " function(s) from the store");
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    return io.close();
  }

  private int restore() throws IOException {
    List<FunctionRecord> records = store.loadAll();
    store.reconcile(records);
    records.forEach(record -> functions.put(record.name(), record));
    return records.size();
  }

  private Future<JsonObject> deploy(JsonObject body) {
    DeployRequest request = DeployRequest.fromJson(body);
    String name = request.name();
    if (functions.containsKey(name) || !deploying.add(name)) {
      return Future.failedFuture(new ConflictException("function " + name + " already exists; delete it first"));
    }
    return unordered(() -> prepare(request))
        .compose(record -> ordered(() -> save(record)))
        .onSuccess(record -> {
          vertx.eventBus().publish(Addresses.FUNCTION_CHANGED, new JsonObject().put("function_name", name));
          LOG.info(() -> "deployed " + name + " (" + record.digest() + ", "
              + (record.wasiCap() ? "wasi" : "abi1") + ", " + record.executionModel().wireName() + ")");
        })
        .map(FunctionRecord::toJson)
        .eventually(() -> {
          deploying.remove(name);
          return Future.succeededFuture();
        });
  }

  /** Everything a deploy does before it may be saved; blocking. */
  private FunctionRecord prepare(DeployRequest request) throws IOException {
    byte[] bytes = images.read(request.image());
    ExecutionModel model = request.executionModel().orElse(defaultModel);
    ModuleDigest digest = ModuleDigest.of(bytes);
    CompiledModule compiled = modules.get(model, digest, () -> bytes);
    boolean wasiCap;
    try {
      wasiCap = request.wasiCap().orElseGet(() -> FunctionAbi.detectWasiCap(compiled.shape()));
      FunctionAbi.of(wasiCap).check(compiled.shape(), request.name());
      try (GuestInstance probe = compiled.instantiate(WasiContext.none())) {
        // Instantiating once proves every import links, before anyone depends on the function.
      }
    } catch (RuntimeException refused) {
      // A refused module must not stay compiled in memory; a deployed function may still use it.
      if (functions.values().stream().noneMatch(record -> record.digest().equals(digest))) {
        modules.release(digest);
      }
      throw refused;
    }
    inFlight.add(digest);
    try {
      store.putModule(bytes);
    } catch (IOException e) {
      inFlight.remove(digest);
      throw e;
    }
    return new FunctionRecord(request.name(), request.image(), digest, wasiCap, model, bytes.length,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  private FunctionRecord save(FunctionRecord record) throws IOException {
    try {
      if (functions.containsKey(record.name())) {
        throw new ConflictException("function " + record.name() + " already exists; delete it first");
      }
      List<FunctionRecord> all = new ArrayList<>(functions.values());
      all.add(record);
      store.save(record, all);
      functions.put(record.name(), record);
      return record;
    } finally {
      inFlight.remove(record.digest());
    }
  }

  private Future<JsonObject> delete(JsonObject body) {
    String name = FunctionNames.require(body);
    return ordered(() -> remove(name)).map(record -> {
      vertx.eventBus().publish(Addresses.FUNCTION_CHANGED, new JsonObject().put("function_name", name));
      LOG.info(() -> "deleted " + name);
      return record.toJson();
    });
  }

  private FunctionRecord remove(String name) throws IOException {
    FunctionRecord record = functions.get(name);
    if (record == null) {
      throw notFound(name);
    }
    List<FunctionRecord> remaining = new ArrayList<>(functions.values());
    remaining.remove(record);
    store.delete(name, remaining, Set.copyOf(inFlight));
    functions.remove(name);
    if (remaining.stream().noneMatch(other -> other.digest().equals(record.digest()))) {
      modules.release(record.digest());
    }
    return record;
  }

  private Future<JsonObject> query(JsonObject body) {
    String name = FunctionNames.require(body);
    FunctionRecord record = functions.get(name);
    return record == null ? Future.failedFuture(notFound(name)) : Future.succeededFuture(record.toJson());
  }

  private JsonObject list() {
    JsonArray all = new JsonArray();
    functions.values().stream()
        .sorted(Comparator.comparing(FunctionRecord::name))
        .forEach(record -> all.add(record.toJson()));
    return new JsonObject().put("functions", all);
  }

  private static NotFoundException notFound(String name) {
    return new NotFoundException("function " + name + " is not deployed");
  }

  /** Every request gets an answer: a reply, or a failure with its kind (bad input throws early). */
  private void consume(String address, Function<JsonObject, Future<JsonObject>> handler) {
    vertx.eventBus().<JsonObject>consumer(address, message -> {
      Future<JsonObject> result;
      try {
        result = handler.apply(message.body() == null ? new JsonObject() : message.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onSuccess(message::reply).onFailure(failure -> Failures.reply(message, failure));
    });
  }

  /** Store changes: one at a time, in the order they were asked for. */
  private <T> Future<T> ordered(Callable<T> task) {
    return io.executeBlocking(unchecked(task), true);
  }

  private <T> Future<T> unordered(Callable<T> task) {
    return io.executeBlocking(unchecked(task), false);
  }

  /** I/O failures of the engine itself are internal errors; the cause goes to the log only. */
  private static <T> Callable<T> unchecked(Callable<T> task) {
    return () -> {
      try {
        return task.call();
      } catch (IOException | UncheckedIOException e) {
        LOG.log(java.util.logging.Level.SEVERE, "store I/O failed", e);
        throw new InternalException("storage failure", e);
      }
    };
  }
}
