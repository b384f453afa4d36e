package dev.wasmengine;

import dev.wasmengine.api.HttpVerticle;
import dev.wasmengine.api.auth.BasicAuthCredentials;
import dev.wasmengine.api.openfaas.AsyncInvoker;
import dev.wasmengine.logs.LogVerticle;
import dev.wasmengine.store.SecretStore;
import java.util.Optional;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.config.InvokeConfig;
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
  private int port;

  private Engine(Vertx vertx, ModuleCache modules, PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.modules = modules;
    this.metrics = metrics;
  }

  /** Starts an engine with its own meter registry; fails (and releases what it took) if any part cannot start. */
  public static Future<Engine> start(Vertx vertx, EngineConfig config) {
    return start(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** @param metrics where the engine's meters go (Main shares it with Vert.x's own metrics) */
  public static Future<Engine> start(Vertx vertx, EngineConfig config, PrometheusMeterRegistry metrics) {
    return vertx.executeBlocking(() -> openParts(config))
        .compose(parts -> {
          Engine engine = new Engine(vertx, parts.modules(), metrics);
          return engine.deployVerticles(config, parts)
              .map(engine)
              .recover(failure -> engine.stop().transform(stopped -> Future.failedFuture(failure)));
        });
  }

  private record Parts(FunctionStore store, SecretStore secrets, ModuleCache modules,
      Optional<BasicAuthCredentials> credentials) {}

  private static Parts openParts(EngineConfig config) throws IOException {
    FunctionStore store = FunctionStore.open(config.dataDir());
    SecretStore secrets = SecretStore.open(config.dataDir());
    Optional<BasicAuthCredentials> credentials = BasicAuthCredentials.resolve(config);
    GraalRuntime graal = GraalRuntime.create();
    return new Parts(store, secrets,
        new ModuleCache(Map.of(ExecutionModel.JIT, graal, ExecutionModel.AOT, new ChicoryRuntime())), credentials);
  }

  private Future<Void> deployVerticles(EngineConfig config, Parts parts) {
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
    InvokerVerticle.Shared shared = new InvokerVerticle.Shared(modules, store, parts.secrets(), invoke,
        config.runtime().limits(),
        new InvokeMetrics(metrics), new QueueBudget(invoke.queueTotal()), virtualThreads);
    AtomicInteger nextShard = new AtomicInteger();
    RegistryVerticle registry = new RegistryVerticle(store, parts.secrets(), modules, config.runtime().defaultModel(),
        config.registry(), invoke.maxExecuteTime(), invoke.maxMemoryPages(), shards);
    return vertx.deployVerticle(new LogVerticle(config.openfaas().logLines()))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(registry))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(() -> new InvokerVerticle(shared, nextShard.getAndIncrement(), shards), workers))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(new InvokeRouter(shards, invoke.timeout().toMillis())))
        .compose(this::track)
        .compose(id -> vertx.deployVerticle(new AsyncInvoker(config.openfaas().asyncQueue(), invoke.guestThreads(),
            invoke.timeout(), shards)))
        .compose(this::track)
        .compose(id -> config.preloadManifest()
            .map(manifest -> Examples.preload(vertx, manifest, config.registry().deployTimeout()))
            .orElse(Future.succeededFuture()))
        .compose(preloaded -> deployHttp(config, parts.credentials()));
  }

  /**
   * HTTP verticles share one server socket on a fixed port. Port 0 (any free port, as tests use)
   * cannot be shared, since every instance would draw its own, so it gets a single instance.
   */
  private Future<Void> deployHttp(EngineConfig config, Optional<BasicAuthCredentials> credentials) {
    int instances = config.http().port() == 0 ? 1 : config.http().instances();
    List<HttpVerticle> servers = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          HttpVerticle server = new HttpVerticle(config, metrics, credentials);
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
