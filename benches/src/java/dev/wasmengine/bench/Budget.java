package dev.wasmengine.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long each part of a bench run may take. {@link #QUICK} proves every path works and gives
 * rough numbers (about 3 minutes on 2 cores); {@link #FULL} gives the published ones (under 20).
 * {@link #SMOKE} exists for the test suite: it only exercises the code paths.
 *
 * @param measure      one measured phase (a JMH iteration, a wrk run, a warm-up curve)
 * @param warmup       warm-up before a measured phase
 * @param iterations   measured iterations where a tool wants several
 * @param rounds       repetitions of a one-off measurement (deploys, cold starts)
 * @param connections  the wrk connection counts
 * @param heapMiB      the heap of the density run
 * @param jitWarmup    warm-up of GraalWasm before a steady-state measure: its compiler is itself
 *                     compiled on first use (jargraal), which takes tens of seconds on 2 cores
 */
public record Budget(String name, Duration measure, Duration warmup, int iterations, int rounds,
    List<Integer> connections, int concurrencyConnections, int heapMiB, Duration jitWarmup) {

  public static final Budget FULL = new Budget("full", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 20,
      List.of(1, 16, 256), 10_000, 4096, Duration.ofSeconds(20));
  public static final Budget QUICK = new Budget("quick", Duration.ofSeconds(1), Duration.ofMillis(500), 1, 3,
      List.of(1, 16), 10_000, 512, Duration.ofSeconds(2));
  public static final Budget SMOKE = new Budget("smoke", Duration.ofMillis(200), Duration.ofMillis(100), 1, 1,
      List.of(1, 4), 8, 64, Duration.ofMillis(100));

  /** The warm-up before a measure on {@code model}: GraalWasm needs much longer. */
  public Duration warmupFor(String model) {
    return model.equals("jit") ? jitWarmup : warmup;
  }

  public static Budget named(String name) {
    return switch (name) {
      case "full" -> FULL;
      case "quick" -> QUICK;
      case "smoke" -> SMOKE;
      default -> throw new IllegalArgumentException("budget must be full, quick or smoke, got " + name);
    };
  }
}
