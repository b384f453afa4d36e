// What a cold start costs and what a warm pool saves, per execution model, in one JVM:
//  1. instantiate(): a new instance of a compiled 1-page module (what a call without a warm
//     instance pays on its own path), p50/p99 over many rounds after warm-up;
//  2. calls through the engine's event-bus API with a warm pool against the same calls with no
//     pool (min_instances 0): end to end, and the engine's own wasmengine_acquire timer (from a
//     call's start to its guest thread holding an instance: from the pool, or instantiated on
//     the request path).
// Usage (see pool-cost.sh): java ... PoolCost.java HOME MODULE ROUNDS
import dev.wasmengine.Engine;
import dev.wasmengine.config.ConfigLoader;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.invoke.FunctionClient;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasmRuntime;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public class PoolCost {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path module = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    byte[] bytes = Files.readAllBytes(module);
    System.out.printf("%-6s %-34s %10s %10s%n", "model", "measure", "p50_us", "p99_us");
    for (WasmRuntime runtime : List.of(GraalRuntime.create(), new ChicoryRuntime())) {
      CompiledModule compiled = runtime.compile(ModuleDigest.of(bytes), bytes);
      long[] samples = new long[rounds];
      for (int round = -rounds; round < rounds; round++) {
        long start = System.nanoTime();
        GuestInstance instance = compiled.instantiate();
        long took = System.nanoTime() - start;
        instance.close();
        if (round >= 0) {
          samples[round] = took;
        }
      }
      print(runtime.model().wireName(), "instantiate (cold start)", samples);
      for (int min : new int[] {1, 0}) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        print(runtime.model().wireName(), min == 1 ? "call, warm pool (end to end)" : "call, no pool (end to end)",
            engineCalls(home, module, runtime.model().wireName(), min, rounds, metrics));
        String path = min == 1 ? "pool" : "request";
        Timer acquire = metrics.get("wasmengine.acquire").tag("path", path).timer();
        ValueAtPercentile[] percentiles = acquire.takeSnapshot().percentileValues();
        System.out.printf("%-6s %-34s %10.1f %10.1f%n", runtime.model().wireName(),
            "acquire from " + (min == 1 ? "the pool" : "instantiation"),
            percentiles[0].value(TimeUnit.MICROSECONDS), percentiles[1].value(TimeUnit.MICROSECONDS));
      }
      runtime.close();
    }
    System.exit(0);
  }

  static long[] engineCalls(Path home, Path module, String model, int minInstances, int rounds,
      PrometheusMeterRegistry metrics) throws Exception {
    Path data = Files.createTempDirectory("pool-cost");
    Path config = data.resolve("config.json");
    Files.writeString(config, new JsonObject().put("invoke", new JsonObject()
        .put("min_instances", minInstances).put("workers", 1).put("guest_threads", 2)).encode());
    EngineConfig engineConfig = new ConfigLoader(Map.of(), home, 2).load(List.of("--port", "0", "--data-dir",
        data.resolve("data").toString(), "--preload", "none", "--execution-model", model, "--config", config.toString()));
    Vertx vertx = Vertx.vertx();
    Engine engine = Engine.start(vertx, engineConfig, metrics).await(60, TimeUnit.SECONDS);
    String name = module.getFileName().toString().replace(".wasm", "");
    JsonObject deploy = new JsonObject().put("function_name", name).put("function_image", module.toString());
    vertx.eventBus().request("wasmengine.registry.deploy", deploy).await(60, TimeUnit.SECONDS);
    FunctionClient client = new FunctionClient(vertx, Duration.ofSeconds(30));
    long[] samples = new long[rounds];
    for (int round = -rounds; round < rounds; round++) {
      long start = System.nanoTime();
      client.invoke(name, Buffer.buffer("{}")).await(30, TimeUnit.SECONDS);
      long took = System.nanoTime() - start;
      if (round >= 0) {
        samples[round] = took;
      }
    }
    engine.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    return samples;
  }

  static void print(String model, String what, long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    System.out.printf("%-6s %-34s %10.1f %10.1f%n", model, what, sorted[sorted.length / 2] / 1000.0,
        sorted[(int) (sorted.length * 0.99)] / 1000.0);
  }
}
