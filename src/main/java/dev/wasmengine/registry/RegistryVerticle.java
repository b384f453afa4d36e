package dev.wasmengine.registry;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.bus.Local;
import dev.wasmengine.config.RegistryConfig;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.error.ConflictException;
import dev.wasmengine.error.InternalException;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.registry.oci.Credentials;
import dev.wasmengine.registry.oci.ImageReference;
import dev.wasmengine.registry.oci.RegistryClient;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.ModuleCache;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.store.FunctionOptions;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.FunctionStore;
import dev.wasmengine.store.SecretStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Owns the set of deployed functions and the store. A deploy (or update) fetches the image
 * (from this host or a registry), admits the module (compile once per digest, ABI check, a
 * trial instantiation, store), and only then saves the record and answers; a function becomes
 * visible only once durable. File I/O, unpacking and compiles run on the {@value #POOL} worker
 * pool; store changes run there one at a time, in order.
 */
public final class RegistryVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RegistryVerticle.class.getName());
  /** How often a scale that lost a race is made again before it answers 409. */
  private static final int SCALE_ATTEMPTS = 3;
  static final String POOL = "wasmengine-registry";

  private final FunctionStore store;
  private final SecretStore secrets;
  private final ModuleCache modules;
  private final ExecutionModel defaultModel;
  private final RegistryConfig registryConfig;
  private final Duration maxExecuteTime;
  private final int defaultMaxMemoryPages;
  /** Invoker shards, to ask the one owning a function to warm its pool before a deploy answers. */
  private final int invokeShards;
  private final Replication replication;

  /** Durable functions; written only by ordered store tasks, read anywhere. */
  private final Map<FunctionRef, FunctionRecord> functions = new ConcurrentHashMap<>();
  /** Functions with a deploy or update in progress (event-loop only). */
  private final Set<FunctionRef> changing = new HashSet<>();
  /** Modules stored by deploys that have not saved their record yet; cleanup must spare them. */
  private final Set<ModuleDigest> inFlight = ConcurrentHashMap.newKeySet();

  private WorkerExecutor io;
  private LocalImages localImages;
  private RegistryClient registryClient;
  private ImagePuller puller;
  private ModuleAdmission admission;
  private NamespacesAndSecrets namespacesAndSecrets;

  public RegistryVerticle(FunctionStore store, SecretStore secrets, ModuleCache modules, ExecutionModel defaultModel,
      RegistryConfig registryConfig, Duration maxExecuteTime, int defaultMaxMemoryPages, int invokeShards,
      Replication replication) {
    this.store = store;
    this.secrets = secrets;
    this.modules = modules;
    this.defaultModel = defaultModel;
    this.registryConfig = registryConfig;
    this.maxExecuteTime = maxExecuteTime;
    this.defaultMaxMemoryPages = defaultMaxMemoryPages;
    this.invokeShards = invokeShards;
    this.replication = replication;
  }

  @Override
  public Future<?> start() {
    io = vertx.createSharedWorkerExecutor(POOL, 2, maxExecuteTime.toMillis(), TimeUnit.MILLISECONDS);
    localImages = new LocalImages(registryConfig.maxUnpackedBytes());
    admission = new ModuleAdmission(modules, store, defaultModel, defaultMaxMemoryPages, inFlight, this::inUse);
    return ordered(() -> {
      Credentials credentials = Credentials.load(registryConfig.credentials(), registryConfig.dockerConfig());
      registryClient = RegistryClient.create(vertx, registryConfig, credentials);
      return restore();
    }).compose(restored -> {
      puller = new ImagePuller(vertx, registryClient, store, io, registryConfig.maxUnpackedBytes(), this::moduleOfLayer);
      consume(Addresses.DEPLOY, this::deploy);
      consume(Addresses.UPDATE, this::update);
      consume(Addresses.DELETE, this::delete);
      consume(Addresses.QUERY, this::query);
      consume(Addresses.LIST, body -> Future.succeededFuture(list(body)));
      consume(Addresses.COUNT, body -> Future.succeededFuture(new JsonObject().put("functions", functions.size())));
      consume(Addresses.SCALE, this::scale);
      consume(Addresses.REGISTRY_APPLY, this::apply);
      namespacesAndSecrets = new NamespacesAndSecrets(vertx, store, secrets, functions::values, this::ordered);
      namespacesAndSecrets.register(this::consume);
      LOG.info(() -> "restored " + restored + " function(s) from the store");
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    if (registryClient != null) {
      registryClient.close();
    }
    return io.close();
  }

  private int restore() throws IOException {
    List<FunctionRecord> records = store.loadAll();
    store.reconcile(records);
    records.forEach(record -> functions.put(record.ref(), record));
    return records.size();
  }

  private Future<JsonObject> deploy(JsonObject body) {
    DeployRequest request = DeployRequest.fromJson(body);
    FunctionRef ref = request.ref();
    if (functions.containsKey(ref)) {
      return Future.failedFuture(new ConflictException("function " + ref + " already exists; delete it first"));
    }
    return exclusively(ref, () -> checkSecrets(request)
        .compose(checked -> fetch(request.image()))
        .compose(pulled -> unordered(() -> admission.admit(request, pulled)))
        .compose(admitted -> claimed(admitted.withRevision(replication.nextRevision(Optional.empty())), Optional.empty()))
        .compose(record -> ordered(() -> save(record)))
        .compose(record -> announce("deployed", record)));
  }

  /**
   * Has the cluster agree to a new record before it is stored here; a refused one gives up the
   * module it brought, unless a stored function uses it.
   */
  private Future<FunctionRecord> claimed(FunctionRecord record, Optional<FunctionRecord> current) {
    return replication.claim(record.ref(), current, Optional.of(record), record.revision())
        .map(record)
        .onFailure(refused -> {
          inFlight.remove(record.digest());
          releaseIfUnused(record.digest());
        });
  }

  /**
   * Re-pulls and swaps: the new record replaces the old one in a single durable step. Calls
   * already running keep the module they started with; later calls get the new one. A failed
   * update changes nothing.
   */
  private Future<JsonObject> update(JsonObject body) {
    UpdateRequest update = UpdateRequest.fromJson(body);
    FunctionRecord current = functions.get(update.ref());
    if (current == null) {
      return Future.failedFuture(notFound(update.ref()));
    }
    DeployRequest request = update.against(current);
    return exclusively(request.ref(), () -> checkSecrets(request)
        .compose(checked -> fetch(request.image()))
        .compose(pulled -> unordered(() -> admission.admit(request, pulled)))
        .compose(admitted -> claimed(admitted.withRevision(replication.nextRevision(Optional.of(current))),
            Optional.of(current)))
        .compose(record -> ordered(() -> replace(current, record)))
        .compose(record -> announce("updated", record)));
  }

  /** One change per name at a time; a second one meanwhile is a conflict. */
  private Future<JsonObject> exclusively(FunctionRef ref, Supplier<Future<JsonObject>> change) {
    if (!changing.add(ref)) {
      return Future.failedFuture(new ConflictException("a deploy or update of " + ref + " is in progress"));
    }
    return change.get().eventually(() -> {
      changing.remove(ref);
      return Future.succeededFuture();
    });
  }

  /** A function may name only secrets that exist in its namespace: it could not start otherwise. */
  private Future<Void> checkSecrets(DeployRequest request) {
    if (request.options().secrets().isEmpty()) {
      return Future.succeededFuture();
    }
    return unordered(() -> {
      List<String> missing = request.options().secrets().stream()
          .filter(secret -> !secrets.exists(request.ref().namespace(), secret))
          .toList();
      if (!missing.isEmpty()) {
        throw new BadRequestException("secret(s) " + String.join(", ", missing) + " do not exist in namespace "
            + request.ref().namespace() + "; create them first");
      }
      return null;
    });
  }

  private Future<PulledModule> fetch(String image) {
    if (LocalImages.isLocal(image)) {
      return unordered(() -> localImages.read(image));
    }
    return puller.pull(ImageReference.parse(image));
  }

  /**
   * Tells the invokers the function changed, then has the owning shard warm its pool, so the
   * first call after the answer finds an instance ready. A failed warm-up is logged, not fatal:
   * calls then instantiate on their own path.
   */
  private Future<JsonObject> announce(String change, FunctionRecord record) {
    changed(record.ref(), change);
    LOG.info(() -> change + " " + record.ref() + " from " + record.image() + " (module " + record.digest()
        + record.imageDigest().map(image -> ", image " + image).orElse("") + ", "
        + record.kind().wireName() + ", " + record.executionModel().wireName() + ")");
    Future<Void> warmed = Future.succeededFuture();
    if (replication.placedHere(record)) {
      warmed = vertx.eventBus().request(Addresses.prewarmShard(record.ref(), invokeShards), record.ref().toJson(),
              Local.delivery(registryConfig.deployTimeout().toMillis()))
          .onFailure(failed -> LOG.warning(() -> "warming " + record.ref() + " failed: " + failed.getMessage()))
          .<Void>mapEmpty()
          .otherwiseEmpty();
    }
    return warmed
        .compose(done -> replication.settle(record.ref(), record.revision()))
        .map(settled -> record.toJson());
  }

  private void changed(FunctionRef ref, String change) {
    vertx.eventBus().publish(Addresses.FUNCTION_CHANGED, ref.toJson().put("change", change), Local.delivery());
  }

  /** Sets the warm instances durably (the invoker then warms or drops to that many). */
  private Future<JsonObject> scale(JsonObject body) {
    FunctionRef ref = FunctionRef.from(body);
    int replicas = JsonFields.optionalLong(body, "replicas", 0, FunctionOptions.MAX_REPLICAS)
        .orElseThrow(() -> new BadRequestException("missing field replicas (an integer from 0 to "
            + FunctionOptions.MAX_REPLICAS + ")"))
        .intValue();
    if (changing.contains(ref)) {
      return Future.failedFuture(new ConflictException("a deploy or update of " + ref + " is in progress"));
    }
    return scaleTo(ref, replicas, SCALE_ATTEMPTS);
  }

  /**
   * A scale sets a count, so one that lost a race to another change of the function is simply
   * made again over the newer record (the gateway may scale one function from several calls).
   */
  private Future<JsonObject> scaleTo(FunctionRef ref, int replicas, int attempts) {
    FunctionRecord current = functions.get(ref);
    if (current == null) {
      return Future.failedFuture(notFound(ref));
    }
    FunctionRecord scaled = current.withOptions(current.options().withReplicas(replicas))
        .withRevision(replication.nextRevision(Optional.of(current)));
    return replication.claim(ref, Optional.of(current), Optional.of(scaled), scaled.revision())
        .compose(claimed -> ordered(() -> {
          if (functions.get(ref) != current) {
            throw new ConflictException("function " + ref + " changed during the scale; try again");
          }
          List<FunctionRecord> all = new ArrayList<>(functions.values());
          all.remove(current);
          all.add(scaled);
          store.replace(scaled, all, Set.copyOf(inFlight));
          functions.put(ref, scaled);
          return scaled;
        }))
        .compose(stored -> announce("scaled", stored))
        .recover(failure -> failure instanceof ConflictException && attempts > 1
            ? scaleTo(ref, replicas, attempts - 1)
            : Future.failedFuture(failure));
  }

  private FunctionRecord save(FunctionRecord record) throws IOException {
    try {
      if (functions.containsKey(record.ref())) {
        throw new ConflictException("function " + record.ref() + " already exists; delete it first");
      }
      List<FunctionRecord> all = new ArrayList<>(functions.values());
      all.add(record);
      store.save(record, all);
      functions.put(record.ref(), record);
      return record;
    } finally {
      inFlight.remove(record.digest());
    }
  }

  private FunctionRecord replace(FunctionRecord current, FunctionRecord record) throws IOException {
    try {
      if (functions.get(record.ref()) != current) {
        throw new ConflictException("function " + record.ref() + " changed during the update; try again");
      }
      List<FunctionRecord> all = new ArrayList<>(functions.values());
      all.remove(current);
      all.add(record);
      inFlight.remove(record.digest());
      store.replace(record, all, Set.copyOf(inFlight));
      functions.put(record.ref(), record);
      releaseIfUnused(current.digest());
      return record;
    } finally {
      inFlight.remove(record.digest());
    }
  }

  private Future<JsonObject> delete(JsonObject body) {
    FunctionRef ref = FunctionRef.from(body);
    FunctionRecord current = functions.get(ref);
    if (current == null) {
      return Future.failedFuture(notFound(ref));
    }
    long revision = replication.nextRevision(Optional.of(current));
    return replication.claim(ref, Optional.of(current), Optional.empty(), revision)
        .compose(claimed -> ordered(() -> remove(ref)))
        .compose(record -> {
          changed(ref, "deleted");
          LOG.info(() -> "deleted " + ref);
          return replication.settle(ref, revision).map(record.toJson());
        });
  }

  /**
   * A change another node made, as the cluster agreed to it: stored here when it is newer than
   * what this node holds (a replay or an older change is a no-op). A new module is fetched by
   * digest, checked and compiled first. Reply {@code {applied: bool}}.
   */
  private Future<JsonObject> apply(JsonObject body) {
    ReplicatedChange change = ReplicatedChange.fromJson(body);
    FunctionRecord current = functions.get(change.ref());
    if (current != null && current.revision() >= change.revision()) {
      return Future.succeededFuture(new JsonObject().put("applied", false));
    }
    if (change.record().isEmpty()) {
      return ordered(() -> {
        FunctionRecord now = functions.get(change.ref());
        if (now == null || now.revision() >= change.revision()) {
          return false;
        }
        remove(change.ref());
        return true;
      }).map(removed -> {
        if (removed) {
          changed(change.ref(), "deleted");
          LOG.info(() -> "deleted " + change.ref() + " (by another node)");
        }
        return new JsonObject().put("applied", removed);
      });
    }
    FunctionRecord incoming = change.record().get();
    return unordered(() -> store.containsModule(incoming.digest()) ? store.readModule(incoming.digest()) : null)
        .compose(local -> local != null ? Future.succeededFuture(local) : moduleOf(incoming))
        .compose(module -> unordered(() -> admission.adopt(incoming, module)))
        .compose(adopted -> ordered(() -> adoptRecord(adopted)))
        .compose(stored -> stored.isEmpty()
            ? Future.succeededFuture(new JsonObject().put("applied", false))
            : announce(stored.get(), incoming).map(json -> new JsonObject().put("applied", true)));
  }

  /**
   * The module of a function another node deployed: from the image's registry, pinned to the
   * manifest that node pulled, or, when that fails (or the image was a file on that node), from
   * a peer. Either way the caller checks it against the record's digest.
   */
  private Future<byte[]> moduleOf(FunctionRecord record) {
    if (LocalImages.isLocal(record.image())) {
      return replication.module(record);
    }
    ImageReference image = ImageReference.parse(record.image());
    ImageReference pinned = record.imageDigest().map(image::withDigest).orElse(image);
    return puller.pull(pinned)
        .map(PulledModule::module)
        .recover(failed -> {
          LOG.info(() -> "pulling " + pinned + " for " + record.ref() + " failed (" + failed.getMessage()
              + "); asking the other nodes");
          return replication.module(record);
        });
  }

  /** Stores a record another node made unless this node meanwhile holds a newer one; returns the change made. */
  private Optional<String> adoptRecord(FunctionRecord record) throws IOException {
    try {
      FunctionRecord now = functions.get(record.ref());
      if (now != null && now.revision() >= record.revision()) {
        return Optional.empty();
      }
      if (now == null) {
        save(record);
        return Optional.of("deployed");
      }
      replace(now, record);
      return Optional.of(now.digest().equals(record.digest()) ? "scaled" : "updated");
    } finally {
      inFlight.remove(record.digest());
    }
  }

  private FunctionRecord remove(FunctionRef ref) throws IOException {
    FunctionRecord record = functions.get(ref);
    if (record == null) {
      throw notFound(ref);
    }
    List<FunctionRecord> remaining = new ArrayList<>(functions.values());
    remaining.remove(record);
    store.delete(ref, remaining, Set.copyOf(inFlight));
    functions.remove(ref);
    releaseIfUnused(record.digest());
    return record;
  }

  /** A compiled module no stored function uses any more leaves the cache. */
  private void releaseIfUnused(ModuleDigest digest) {
    if (!inUse(digest)) {
      modules.release(digest);
    }
  }

  private boolean inUse(ModuleDigest digest) {
    return functions.values().stream().anyMatch(record -> record.digest().equals(digest));
  }

  /** The module a deployed function got from this layer, if any: such a layer needs no download. */
  private Optional<ModuleDigest> moduleOfLayer(ModuleDigest layer) {
    return functions.values().stream()
        .filter(record -> record.layerDigest().equals(Optional.of(layer)))
        .map(FunctionRecord::digest)
        .findFirst();
  }

  private Future<JsonObject> query(JsonObject body) {
    FunctionRef ref = FunctionRef.from(body);
    FunctionRecord record = functions.get(ref);
    return record == null ? Future.failedFuture(notFound(ref)) : Future.succeededFuture(record.toJson());
  }

  private JsonObject list(JsonObject body) {
    Optional<String> namespace = JsonFields.optionalString(body, "namespace");
    JsonArray all = new JsonArray();
    functions.values().stream()
        .filter(record -> namespace.isEmpty() || record.namespace().equals(namespace.get()))
        .sorted(Comparator.comparing(FunctionRecord::namespace).thenComparing(FunctionRecord::name))
        .forEach(record -> all.add(record.toJson()));
    return new JsonObject().put("functions", all);
  }

  private static NotFoundException notFound(FunctionRef ref) {
    return new NotFoundException("function " + ref + " is not deployed");
  }

  /** Every request gets an answer: a reply, or a failure with its kind (bad input throws early). */
  void consume(String address, Function<JsonObject, Future<JsonObject>> handler) {
    vertx.eventBus().<JsonObject>localConsumer(address, message -> {
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
  <T> Future<T> ordered(Callable<T> task) {
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
      } catch (IOException | UncheckedIOException | GeneralSecurityException e) {
        LOG.log(java.util.logging.Level.SEVERE, "store or registry setup I/O failed", e);
        throw new InternalException("storage failure", e);
      }
    };
  }
}
