// Guests on a fixed pool of platform threads (invoke.scheduler=workers, one per core) against a
// virtual thread per call (invoke.scheduler=virtual), per execution model, under 16 and under
// 10,000 concurrent calls. Calls go through the engine's event-bus API (no HTTP in the way), in
// a closed loop: each caller sends its next call when the last one answers. Every run is
// bounded in time; queues are sized so that no call is refused.
// Usage (see scheduling.sh): java ... Scheduling.java HOME MODULE WARMUP_S MEASURE_S
import dev.wasmengine.Engine;
import dev.wasmengine.config.ConfigLoader;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.invoke.FunctionClient;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class Scheduling {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path module = Path.of(args[1]);
    long warmup = Long.parseLong(args[2]) * 1_000_000_000L;
    long measure = Long.parseLong(args[3]) * 1_000_000_000L;
    System.out.printf("%-5s %-8s %12s %12s %10s %10s %8s%n", "model", "sched", "concurrency", "calls_per_s", "p50_us",
        "p99_us", "errors");
    for (String model : List.of("jit", "aot")) {
      for (String scheduler : List.of("workers", "virtual")) {
        for (int concurrency : new int[] {16, 10_000}) {
          run(home, module, model, scheduler, concurrency, warmup, measure);
        }
      }
    }
    System.exit(0);
  }

  static void run(Path home, Path module, String model, String scheduler, int concurrency, long warmup, long measure)
      throws Exception {
    Path data = Files.createTempDirectory("scheduling");
    Path config = data.resolve("config.json");
    Files.writeString(config, new JsonObject().put("invoke", new JsonObject()
        .put("scheduler", scheduler).put("workers", 2).put("guest_threads", 0)
        .put("max_instances", 100_000).put("queue_per_function", 20_000).put("queue_total", 20_000)
        .put("timeout_ms", 120_000)).encode());
    EngineConfig engineConfig = new ConfigLoader(Map.of(), home, Runtime.getRuntime().availableProcessors())
        .load(List.of("--port", "0", "--data-dir", data.resolve("data").toString(), "--preload", "none",
            "--execution-model", model, "--config", config.toString()));
    Vertx vertx = Vertx.vertx();
    Engine engine = Engine.start(vertx, engineConfig).await(60, TimeUnit.SECONDS);
    String name = module.getFileName().toString().replace(".wasm", "");
    vertx.eventBus().request("wasmengine.registry.deploy",
        new JsonObject().put("function_name", name).put("function_image", module.toString())).await(60, TimeUnit.SECONDS);
    FunctionClient client = new FunctionClient(vertx, Duration.ofSeconds(120));
    Buffer input = Buffer.buffer("{\"a\":\"12\",\"b\":\"18\"}");

    long start = System.nanoTime();
    long measureFrom = start + warmup;
    long stopAt = measureFrom + measure;
    long[] latencies = new long[20_000_000];
    AtomicInteger recorded = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger running = new AtomicInteger(concurrency);
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    for (int caller = 0; caller < concurrency; caller++) {
      loop(client, name, input, measureFrom, stopAt, latencies, recorded, errors, errorKinds, running, done);
    }
    done.future().await(measure / 1_000_000_000L + warmup / 1_000_000_000L + 180, TimeUnit.SECONDS);
    int n = Math.min(recorded.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    System.out.printf("%-5s %-8s %12d %12.0f %10.1f %10.1f %8d %s%n", model, scheduler, concurrency,
        n / (measure / 1e9), n == 0 ? 0 : sorted[n / 2] / 1000.0, n == 0 ? 0 : sorted[(int) (n * 0.99)] / 1000.0,
        errors.get(), errorKinds.isEmpty() ? "" : errorKinds.toString());
    engine.stop().await(60, TimeUnit.SECONDS);
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  /** One closed-loop caller: sends, waits, records (inside the measured window), sends again until stopAt. */
  static void loop(FunctionClient client, String name, Buffer input, long measureFrom, long stopAt, long[] latencies,
      AtomicInteger recorded, AtomicLong errors, Map<String, AtomicLong> errorKinds, AtomicInteger running,
      io.vertx.core.Promise<Void> done) {
    long sent = System.nanoTime();
    if (sent >= stopAt) {
      if (running.decrementAndGet() == 0) {
        done.tryComplete();
      }
      return;
    }
    client.invoke(name, input).onComplete(answer -> {
      long now = System.nanoTime();
      if (answer.failed()) {
        errors.incrementAndGet();
        String kind = answer.cause() instanceof dev.wasmengine.error.EngineException e ? e.kind().name() : "other";
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      } else if (sent >= measureFrom && now <= stopAt) {
        int slot = recorded.getAndIncrement();
        if (slot < latencies.length) {
          latencies[slot] = now - sent;
        }
      }
      loop(client, name, input, measureFrom, stopAt, latencies, recorded, errors, errorKinds, running, done);
    });
  }
}
