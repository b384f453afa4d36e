package dev.wasmengine.bench;

import dev.wasmengine.Engine;
import dev.wasmengine.bus.Addresses;
import dev.wasmengine.config.ConfigLoader;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.invoke.FunctionClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real engine in the harness's JVM on a Vert.x of its own, for measures that need the engine
 * but not HTTP: calls go through its event-bus API, as other verticles make them.
 */
final class InProcessEngine implements AutoCloseable {
  private static final long WAIT_SECONDS = 120;

  private final Vertx vertx;
  private final Engine engine;
  private final FunctionClient client;
  private final PrometheusMeterRegistry metrics;

  private InProcessEngine(Vertx vertx, Engine engine, PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.engine = engine;
    this.metrics = metrics;
    this.client = new FunctionClient(vertx, Duration.ofSeconds(WAIT_SECONDS));
  }

  /** @param config config file content (JSON), e.g. {"invoke": {...}, "registry": {...}} */
  static InProcessEngine start(BenchContext context, String name, String model, JsonObject config) throws Exception {
    Path dir = context.scratch(name);
    Path file = dir.resolve("config.json");
    Files.writeString(file, config.encode());
    EngineConfig engineConfig = new ConfigLoader(Map.of(), context.home(), Runtime.getRuntime().availableProcessors())
        .load(List.of("--port", "0", "--data-dir", dir.resolve("data").toString(), "--preload", "none",
            "--execution-model", model, "--config", file.toString()));
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Engine engine = Engine.start(vertx, engineConfig, metrics, java.util.Optional.empty())
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    return new InProcessEngine(vertx, engine, metrics);
  }

  JsonObject deploy(String function, String image) throws Exception {
    return deploy(new JsonObject().put("function_name", function).put("function_image", image));
  }

  JsonObject deploy(JsonObject request) throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.DEPLOY, request,
        new DeliveryOptions().setSendTimeout(WAIT_SECONDS * 1000)).await(WAIT_SECONDS, TimeUnit.SECONDS).body();
  }

  void delete(String function) throws Exception {
    vertx.eventBus().request(Addresses.DELETE, new JsonObject().put("function_name", function))
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** One call; returns its output, failing on any error. */
  String invoke(String function, String input) throws Exception {
    return client.invoke(function, Buffer.buffer(input)).await(WAIT_SECONDS, TimeUnit.SECONDS).output().toString();
  }

  PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() throws Exception {
    engine.stop().await(WAIT_SECONDS, TimeUnit.SECONDS);
    vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
