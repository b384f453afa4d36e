package dev.wasmengine.bench;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.HostContext;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasmRuntime;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Compute: a CPU-bound guest ({@code benches/compute/fib.c}, naive recursive {@code fib}) called
 * on one instance in a loop, per engine, recording every call from the first one, so the result
 * holds both the steady state and the warm-up curve. Baselines in the same run: the same module
 * through wasm2c + gcc -O2 ({@code benches/build/fib-native}) and on node's V8
 * ({@code benches/node/fib.mjs}). The Java engines run in this JVM (the harness's JIT flags):
 * {@code jit} (GraalWasm), {@code aot} (Chicory's bytecode compiler) and {@code interp} (Chicory's
 * interpreter, capped at {@link Budget#measure()} and 3 calls, reporting what finished).
 *
 * <p>Builds nothing: {@code make -C benches modules native} must have run. The argument is 32,
 * except on {@link Budget#SMOKE} (24, to keep the smoke run short). Each loop runs for twice
 * {@link Budget#measure()} (the Java engines' loops from the end of their first call): about
 * 25 s in all on QUICK, 75 s on FULL. On QUICK the interpreter finishes one call of fib(32) or
 * none (it needs about 1.3 s warm, more cold); with none it says {@code "capped": true} and no times.
 */
public final class ComputeSection implements Section {
  static final int MAX_CURVE_POINTS = 200;
  static final int INTERP_MAX_CALLS = 3;
  /** A bound on any loop, whatever the clock says. */
  private static final int MAX_CALLS = 10_000_000;

  @Override
  public String name() {
    return "compute";
  }

  /** fib's argument for a budget: 32, or 24 on the smoke budget. */
  static int argument(Budget budget) {
    return budget.name().equals(Budget.SMOKE.name()) ? 24 : 32;
  }

  @Override
  public JsonObject run(BenchContext context) throws Exception {
    Budget budget = context.budget();
    int n = argument(budget);
    Path benches = context.home().resolve("benches");
    Path module = required(benches.resolve("build/modules/fib.wasm"));
    Path nativeDriver = required(benches.resolve("build/fib-native"));
    Path nodeDriver = required(benches.resolve("node/fib.mjs"));
    byte[] bytes = Files.readAllBytes(module);
    Duration loop = budget.measure().multipliedBy(2);
    double seconds = loop.toMillis() / 1000.0;
    Duration processLimit = loop.plusSeconds(60);

    List<JsonObject> runs = new ArrayList<>();
    context.log("compute: native (wasm2c + gcc -O2), fib(" + n + ") for " + seconds + " s");
    runs.add(summary("native", "wasm2c + gcc -O2",
        parseLines(context.run(List.of(nativeDriver.toString(), Double.toString(seconds), Integer.toString(n)),
            processLimit))));
    context.log("compute: v8 (node), fib(" + n + ") for " + seconds + " s");
    runs.add(summary("v8", "node " + nodeVersion(context),
        parseLines(context.run(List.of("node", nodeDriver.toString(), Double.toString(seconds), Integer.toString(n),
            module.toString()), processLimit))));

    context.log("compute: jit (GraalWasm), fib(" + n + ") for " + seconds + " s after its first call");
    runs.add(onRuntime("jit", GraalRuntime::create, bytes, n, loop));
    System.gc();
    context.log("compute: aot (Chicory compiler), fib(" + n + ") for " + seconds + " s after its first call");
    runs.add(onRuntime("aot", ChicoryRuntime::new, bytes, n, loop));
    System.gc();
    context.log("compute: interp (Chicory interpreter), fib(" + n + "), at most " + INTERP_MAX_CALLS
        + " calls within " + budget.measure().toMillis() + " ms");
    runs.add(interpreter(bytes, n, budget.measure()));

    for (JsonObject run : runs) {
      context.log("compute: " + run.getString("engine") + " steady " + run.getDouble("steady_ms") + " ms, first "
          + run.getDouble("first_ms") + " ms, " + run.getInteger("iterations") + " calls"
          + (Boolean.TRUE.equals(run.getBoolean("capped")) ? " (capped)" : ""));
    }
    // Ratios to the baselines measured just now.
    double nativeMs = runs.get(0).getDouble("steady_ms");
    double v8Ms = runs.get(1).getDouble("steady_ms");
    for (JsonObject run : runs) {
      Double steady = run.getDouble("steady_ms");
      run.put("vs_native", steady == null ? null : round(steady / nativeMs, 2));
      run.put("vs_v8", steady == null ? null : round(steady / v8Ms, 2));
    }
    return new JsonObject().put("function", "fib(" + n + ")").put("runs", new JsonArray(new ArrayList<>(runs)));
  }

  private static Path required(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " is missing: run make -C benches modules native first");
    }
    return path;
  }

  private static String nodeVersion(BenchContext context) throws IOException, InterruptedException {
    return context.run(List.of("node", "--version"), Duration.ofSeconds(30)).strip();
  }

  /** One call's end and duration, in ms: {@code t_ms} from the loop's start, {@code ms} the call. */
  record Sample(double tMs, double ms) {}

  /** The JSON lines of fib-native and fib.mjs; other lines are ignored. */
  static List<Sample> parseLines(String output) {
    List<Sample> samples = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("{")) {
        JsonObject sample = new JsonObject(line);
        samples.add(new Sample(sample.getDouble("t_ms"), sample.getDouble("ms")));
      }
    }
    if (samples.isEmpty()) {
      throw new IllegalStateException("no measurements in the driver's output:\n" + output);
    }
    return samples;
  }

  /**
   * Compiles once, instantiates once, then calls fib(n) until {@code loop} has passed after the
   * first call returned: GraalWasm's first call of fib(32) can take seconds (it runs in Truffle's
   * interpreter while a cold Graal compiler compiles fib), and the loop must still reach the
   * steady state.
   */
  private static JsonObject onRuntime(String engine, Supplier<WasmRuntime> runtimes, byte[] bytes, int n,
      Duration loop) {
    long expected = expectedFib(n);
    try (WasmRuntime runtime = runtimes.get()) {
      CompiledModule compiled = runtime.compile(ModuleDigest.of(bytes), bytes);
      List<Sample> samples = new ArrayList<>();
      try (GuestInstance instance = compiled.instantiate()) {
        long start = System.nanoTime();
        long end = Long.MAX_VALUE;
        for (int i = 0; i < MAX_CALLS; i++) {
          long before = System.nanoTime();
          instance.bind(HostContext.NONE);
          long result;
          try {
            result = instance.call("fib", n)[0];
          } finally {
            instance.unbind();
          }
          long after = System.nanoTime();
          check(engine, n, result, expected);
          samples.add(new Sample((after - start) / 1e6, (after - before) / 1e6));
          if (i == 0) {
            end = after + loop.toNanos();
          }
          if (after >= end) {
            break;
          }
        }
      }
      return summary(engine, runtime.description(), samples);
    }
  }

  /**
   * Chicory's interpreter (an instance without the machine factory), on a thread of its own:
   * at most {@link #INTERP_MAX_CALLS} calls, none started after {@code cap}, and the one running
   * at {@code cap} interrupted (the interpreter checks for interrupts), so only finished calls count.
   */
  private static JsonObject interpreter(byte[] bytes, int n, Duration cap) throws InterruptedException {
    long expected = expectedFib(n);
    Instance instance = Instance.builder(Parser.parse(bytes)).withStart(false).build();
    ExportFunction fib = instance.export("fib");
    List<Sample> samples = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    long limit = cap.toNanos();
    long start = System.nanoTime();
    Thread runner = Thread.ofPlatform().name("bench-interp").daemon(true).start(() -> {
      try {
        for (int i = 0; i < INTERP_MAX_CALLS && System.nanoTime() - start < limit; i++) {
          long before = System.nanoTime();
          long result = fib.apply(n)[0];
          long after = System.nanoTime();
          check("interp", n, result, expected);
          synchronized (samples) {
            samples.add(new Sample((after - start) / 1e6, (after - before) / 1e6));
          }
        }
      } catch (ChicoryInterruptedException e) {
        // stopped at the cap: the call running then does not count
      } catch (RuntimeException e) {
        failure[0] = e;
      }
    });
    runner.join(cap.toMillis() + 1);
    boolean capped = runner.isAlive();
    if (capped) {
      runner.interrupt();
      runner.join(10_000);
      if (runner.isAlive()) {
        throw new IllegalStateException("Chicory's interpreter did not stop within 10 s of an interrupt");
      }
    }
    if (failure[0] != null) {
      throw new IllegalStateException("interp failed", failure[0]);
    }
    List<Sample> finished;
    synchronized (samples) {
      finished = List.copyOf(samples);
    }
    return summary("interp", "Chicory interpreter", finished)
        .put("cap_ms", cap.toMillis())
        .put("cap_calls", INTERP_MAX_CALLS)
        .put("capped", capped);
  }

  private static void check(String engine, int n, long result, long expected) {
    if ((int) result != (int) expected) {
      throw new IllegalStateException(engine + ": fib(" + n + ") returned " + result + ", expected " + expected);
    }
  }

  /** fib(n) in i32 arithmetic, iteratively. */
  static long expectedFib(int n) {
    int a = 0;
    int b = 1;
    for (int i = 0; i < n; i++) {
      int next = a + b;
      a = b;
      b = next;
    }
    return a;
  }

  /**
   * {@code steady_ms}: the median of the last half of the calls; {@code first_ms}: the first call;
   * {@code curve}: [t_ms, ms] pairs, evenly sampled down to {@link #MAX_CURVE_POINTS} (the first
   * and last call always kept). With no finished call, the times are null and the curve empty.
   */
  static JsonObject summary(String engine, String detail, List<Sample> samples) {
    int count = samples.size();
    JsonObject run = new JsonObject().put("engine", engine).put("detail", detail);
    if (count == 0) {
      return run.put("steady_ms", null).put("first_ms", null).put("iterations", 0).put("curve", new JsonArray());
    }
    double[] lastHalf = samples.subList(count / 2, count).stream().mapToDouble(Sample::ms).sorted().toArray();
    int middle = lastHalf.length / 2;
    double median = lastHalf.length % 2 == 1 ? lastHalf[middle] : (lastHalf[middle - 1] + lastHalf[middle]) / 2;
    JsonArray curve = new JsonArray();
    int points = Math.min(count, MAX_CURVE_POINTS);
    for (int i = 0; i < points; i++) {
      int index = points == 1 ? 0 : (int) Math.round((double) i * (count - 1) / (points - 1));
      Sample sample = samples.get(index);
      curve.add(new JsonArray().add(round(sample.tMs(), 3)).add(round(sample.ms(), 4)));
    }
    return run.put("steady_ms", round(median, 4))
        .put("first_ms", round(samples.get(0).ms(), 4))
        .put("iterations", count)
        .put("curve", curve);
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
