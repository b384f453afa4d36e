package dev.wasmengine.bench;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The warm path: calls through the engine's event-bus API with a warm pool, sequential, per
 * execution model and instance policy. Reports end-to-end p50/p99 and the engine's own acquire
 * timer (a call's start to its guest thread holding an instance).
 */
public final class WarmPathSection implements Section {
  static final List<String> FUNCTIONS = List.of("gcd", "authentication");

  @Override
  public String name() {
    return "warm_path";
  }

  @Override
  public JsonObject run(BenchContext context) throws Exception {
    JsonArray runs = new JsonArray();
    for (String model : List.of("jit", "aot")) {
      for (String policy : List.of("fresh", "reuse")) {
        JsonObject config = new JsonObject().put("invoke", new JsonObject().put("instance_policy", policy));
        try (InProcessEngine engine = InProcessEngine.start(context, "warm-" + model + "-" + policy, model, config)) {
          for (String function : FUNCTIONS) {
            engine.deploy(function, context.home().resolve("experiments/dist/" + function + ".wasm").toString());
            runs.add(measure(context, engine, function, context.budget().warmupFor(model)).put("model", model)
                .put("policy", policy));
          }
        }
      }
    }
    return new JsonObject().put("runs", runs).put("baseline", busEcho(context));
  }

  /** The floor of any call through the event bus: a request a verticle answers at once. */
  private static JsonObject busEcho(BenchContext context) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return vertx.eventBus().<Buffer>consumer("bench.echo", message -> message.reply(message.body())).completion();
        }
      }).await(60, TimeUnit.SECONDS);
      Buffer input = Buffer.buffer(BenchFunctions.input("gcd"));
      long warmUntil = System.nanoTime() + context.budget().warmup().toNanos();
      while (System.nanoTime() < warmUntil) {
        vertx.eventBus().request("bench.echo", input).await(60, TimeUnit.SECONDS);
      }
      Samples samples = new Samples();
      long until = System.nanoTime() + context.budget().measure().toNanos();
      for (int i = 0; i < 10_000_000 && System.nanoTime() < until; i++) {
        long start = System.nanoTime();
        vertx.eventBus().request("bench.echo", input).await(60, TimeUnit.SECONDS);
        samples.add(System.nanoTime() - start);
      }
      return new JsonObject().put("what", "event-bus request answered at once").put("calls", samples.count())
          .put("p50_us", samples.percentileMicros(50)).put("p99_us", samples.percentileMicros(99));
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  private static JsonObject measure(BenchContext context, InProcessEngine engine, String function, Duration warmup)
      throws Exception {
    String input = BenchFunctions.input(function);
    String expected = BenchFunctions.output(function);
    long warmUntil = System.nanoTime() + warmup.toNanos();
    while (System.nanoTime() < warmUntil) {
      engine.invoke(function, input);
    }
    Samples samples = new Samples();
    long until = System.nanoTime() + context.budget().measure().toNanos();
    for (int i = 0; i < 10_000_000 && System.nanoTime() < until; i++) {
      long start = System.nanoTime();
      String output = engine.invoke(function, input);
      samples.add(System.nanoTime() - start);
      if (!output.equals(expected)) {
        throw new IllegalStateException(function + " answered " + output);
      }
    }
    JsonObject result = new JsonObject().put("function", function).put("calls", samples.count())
        .put("p50_us", samples.percentileMicros(50)).put("p99_us", samples.percentileMicros(99));
    Timer acquire = engine.metrics().find("wasmengine.acquire").tag("function", function).tag("path", "pool").timer();
    if (acquire != null) {
      ValueAtPercentile[] percentiles = acquire.takeSnapshot().percentileValues();
      result.put("acquire_p50_us", percentiles[0].value(TimeUnit.MICROSECONDS))
          .put("acquire_p99_us", percentiles[1].value(TimeUnit.MICROSECONDS));
    }
    return result;
  }
}
