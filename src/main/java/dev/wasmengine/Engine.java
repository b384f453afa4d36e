package dev.wasmengine;

import dev.wasmengine.api.HttpVerticle;
import dev.wasmengine.api.auth.BasicAuthCredentials;
import dev.wasmengine.api.openfaas.AsyncInvoker;
import dev.wasmengine.cluster.ClusterNode;
import dev.wasmengine.registry.Replication;
import dev.wasmengine.store.TombstoneStore;
import io.vertx.core.VerticleBase;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import dev.wasmengine.logs.LogVerticle;
import dev.wasmengine.store.SecretStore;
import java.util.Optional;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.config.InvokeConfig;
import dev.wasmengine.config.UserVerticle;
import dev.wasmengine.invoke.InvokeMetrics;
import dev.wasmengine.invoke.InvokeRouter;
import dev.wasmengine.invoke.InvokerVerticle;
import dev.wasmengine.invoke.QueueBudget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.wasmengine.registry.RegistryVerticle;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.ModuleCache;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import dev.wasmengine.store.FunctionStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One engine on one Vert.x instance: the runtimes and the store, then the registry verticle,
 * the invoker workers, the examples, and last the HTTP verticles, so that the engine listens
 * only once it can serve.
 */
public final class Engine {
  /** The pool the invoker verticles' own contexts run on (bookkeeping only; guests run elsewhere). */
  static final String INVOKER_POOL = "wasmengine-invokers";

  private final Vertx vertx;
  private final ModuleCache modules;
  private final PrometheusMeterRegistry metrics;
  private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private volatile int port;

  private Engine(Vertx vertx, ModuleCache modules, PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.modules = modules;
    this.metrics = metrics;
  }

  /** Starts an engine with its own meter registry; fails (and releases what it took) if any part cannot start. */
  public static Future<Engine> start(Vertx vertx, EngineConfig config) {
    return start(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Optional.empty());
  }

  /**
   * @param metrics where the engine's meters go (Main shares it with Vert.x's own metrics)
   * @param cluster the cluster manager {@code vertx} was built with, when the engine runs in a cluster
   */
  public static Future<Engine> start(Vertx vertx, EngineConfig config, PrometheusMeterRegistry metrics,
      Optional<HazelcastClusterManager> cluster) {
    return vertx.executeBlocking(() -> openParts(config))
        .compose(parts -> {
          Engine engine = new Engine(vertx, parts.modules(), metrics);
          return engine.deployVerticles(config, parts, cluster)
              .map(engine)
              .recover(failure -> engine.stop().transform(stopped -> Future.failedFuture(failure)));
        });
  }

  private record Parts(FunctionStore store, SecretStore secrets, ModuleCache modules,
      Optional<BasicAuthCredentials> credentials, Optional<TombstoneStore> tombstones) {}

  private static Parts openParts(EngineConfig config) throws IOException {
    FunctionStore store = FunctionStore.open(config.dataDir());
    SecretStore secrets = SecretStore.open(config.dataDir());
    Optional<BasicAuthCredentials> credentials = BasicAuthCredentials.resolve(config);
    Optional<TombstoneStore> tombstones = config.cluster().enabled()
        ? Optional.of(TombstoneStore.open(config.dataDir()))
        : Optional.empty();
    GraalRuntime graal = GraalRuntime.create();
    return new Parts(store, secrets,
        new ModuleCache(Map.of(ExecutionModel.JIT, graal, ExecutionModel.AOT, new ChicoryRuntime())), credentials,
        tombstones);
  }

  private Future<Void> deployVerticles(EngineConfig config, Parts parts, Optional<HazelcastClusterManager> cluster) {
    FunctionStore store = parts.store();
    InvokeConfig invoke = config.invoke();
    int shards = invoke.workers();
    DeploymentOptions workers = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName(INVOKER_POOL)
        .setWorkerPoolSize(shards)
        .setMaxWorkerExecuteTime(invoke.maxExecuteTime().toMillis())
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setInstances(shards);
    QueueBudget queue = new QueueBudget(invoke.queueTotal());
    Optional<ClusterNode> node = cluster.map(manager -> new ClusterNode(config.cluster(), manager, store,
        parts.tombstones().orElseThrow(), queue, shards, config.http().bind() + ":" + config.http().port(),
        config.registry().deployTimeout()));
    Replication replication = node.map(member -> member.replication(vertx)).orElse(Replication.SINGLE_NODE);
    InvokerVerticle.Shared shared = new InvokerVerticle.Shared(modules, store, parts.secrets(), invoke,
        config.runtime().limits(), new InvokeMetrics(metrics), queue, virtualThreads, replication::placedHere);
    AtomicInteger nextShard = new AtomicInteger();
    RegistryVerticle registry = new RegistryVerticle(store, parts.secrets(), modules, config.runtime().defaultModel(),
        config.registry(), invoke.maxExecuteTime(), invoke.maxMemoryPages(), shards, replication);
    VerticleBase router = node.map(member -> member.router(invoke.timeout().toMillis()))
        .orElseGet(() -> new InvokeRouter(shards, invoke.timeout().toMillis()));
    // In a cluster every call goes through the router, which may send it to another node.
    int directShards = node.isPresent() ? 0 : shards;
    return vertx.deployVerticle(new LogVerticle(config.openfaas().logLines()))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(registry))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(() -> new InvokerVerticle(shared, nextShard.getAndIncrement(), shards), workers))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(router))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(new AsyncInvoker(config.openfaas().asyncQueue(), invoke.guestThreads(),
            invoke.timeout(), directShards)))
        .compose(this::track)
        .compose(id -> node.map(member -> vertx.deployVerticle(member).compose(this::track).<Void>mapEmpty())
            .orElse(Future.succeededFuture()))
        .compose(id -> config.preloadManifest()
            .map(manifest -> Examples.preload(vertx, manifest, config.registry().deployTimeout()))
            .orElse(Future.succeededFuture()))
        .compose(preloaded -> deployHttp(config, parts.credentials(), directShards))
        .compose(serving -> deployUserVerticles(config));
  }

  private Future<Void> deployUserVerticles(EngineConfig config) {
    Future<Void> chain = Future.succeededFuture();
    for (UserVerticle verticle : config.verticles()) {
      chain = chain
          .compose(done -> vertx.deployVerticle(verticle.className(),
                  new DeploymentOptions().setConfig(verticle.config()))
              .recover(failure -> Future.failedFuture(new IllegalStateException(
                  "verticle " + verticle.className() + " did not start: " + failure.getMessage(), failure))))
          .compose(this::track)
          .mapEmpty();
    }
    return chain;
  }

  /**
   * HTTP verticles share one server socket on a fixed port. Port 0 (any free port, as tests use)
   * cannot be shared, since every instance would draw its own, so it gets a single instance.
   */
  private Future<Void> deployHttp(EngineConfig config, Optional<BasicAuthCredentials> credentials, int directShards) {
    int instances = config.http().port() == 0 ? 1 : config.http().instances();
    List<HttpVerticle> servers = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          HttpVerticle server = new HttpVerticle(config, metrics, credentials, directShards);
          servers.add(server);
          return server;
        }, new DeploymentOptions().setInstances(instances))
        .compose(this::track)
        .compose(id -> {
          Set<Integer> ports = servers.stream().map(HttpVerticle::actualPort).collect(Collectors.toSet());
          if (ports.size() != 1) {
            return Future.failedFuture(new IllegalStateException("HTTP verticles bound different ports " + ports));
          }
          port = ports.iterator().next();
          return Future.succeededFuture();
        });
  }

  public int port() {
    return port;
  }

  public ModuleCache modules() {
    return modules;
  }

  private Future<String> track(String deploymentId) {
    deployments.add(deploymentId);
    return Future.succeededFuture(deploymentId);
  }

  /** Undeploys this engine's verticles, newest first, then releases the runtimes. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (String id : deployments.reversed()) {
      chain = chain.compose(done -> vertx.undeploy(id));
    }
    return chain.onComplete(done -> {
      modules.close();
      virtualThreads.close();
    });
  }
}
