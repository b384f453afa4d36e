package dev.wasmengine;

import dev.wasmengine.config.ConfigException;
import dev.wasmengine.config.ConfigLoader;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.runtime.graal.JitUnavailableException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.Future;
import dev.wasmengine.cluster.ClusterSetup;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Optional;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/** Command-line entry point: {@code bin/wasm-engine [--port N] [--bind ADDR] [--data-dir DIR] [--config FILE]}. */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());
  private static final int EXIT_CONFIG = 2;
  private static final int EXIT_START = 3;

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    List<String> arguments = List.of(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(ConfigLoader.usage());
      return;
    }
    EngineConfig config;
    try {
      Path home = Path.of(System.getProperty("wasmengine.home", "."));
      config = new ConfigLoader(System.getenv(), home, Runtime.getRuntime().availableProcessors()).load(arguments);
    } catch (ConfigException e) {
      System.err.println("wasm-engine: config error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }

    // One registry for the engine's meters and Vert.x's own (HTTP server, event bus, pools).
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions()
        .setMaxWorkerExecuteTime(config.invoke().maxExecuteTime().toMillis())
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    Optional<HazelcastClusterManager> cluster = Optional.empty();
    if (config.cluster().enabled()) {
      // Every meter says which node it measures, so one dashboard can hold the whole cluster.
      metrics.config().commonTags("node", config.cluster().nodeName());
      options.setEventBusOptions(ClusterSetup.eventBus(config.cluster()));
      cluster = Optional.of(ClusterSetup.clusterManager(config.cluster()));
    }
    VertxBuilder builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics));
    Future<Vertx> built = cluster.map(manager -> builder.withClusterManager(manager).buildClustered())
        .orElseGet(() -> Future.succeededFuture(builder.build()));
    Optional<HazelcastClusterManager> manager = cluster;
    built
        .onFailure(failure -> {
          System.err.println("wasm-engine: cannot join cluster " + config.cluster().name() + ": "
              + startFailureMessage(failure));
          System.exit(EXIT_START);
        })
        .onSuccess(vertx -> Engine.start(vertx, config, metrics, manager)
            .onSuccess(engine -> {
              long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
              LOG.info(() -> "engine started in " + millis + " ms");
              System.out.println("listening on http://" + config.http().bind() + ":" + engine.port());
              Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, engine), "wasm-engine-shutdown"));
            })
            .onFailure(failure -> {
              System.err.println("wasm-engine: cannot start: " + startFailureMessage(failure));
              vertx.close();
              System.exit(EXIT_START);
            }));
  }

  private static void shutdown(Vertx vertx, Engine engine) {
    try {
      engine.stop().compose(stopped -> vertx.close()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warning(() -> "unclean shutdown: " + e);
    }
  }

  private static String startFailureMessage(Throwable failure) {
    if (failure instanceof JitUnavailableException) {
      return failure.getMessage();
    }
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
