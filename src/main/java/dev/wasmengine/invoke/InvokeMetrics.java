package dev.wasmengine.invoke;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The invocation meters, in Prometheus terms: {@code wasmengine_invocations_total{function,outcome}},
 * {@code wasmengine_invocation_seconds} (histogram), {@code wasmengine_cold_starts_total},
 * {@code wasmengine_instantiation_seconds{function,path}}, {@code wasmengine_acquire_seconds{function,path}},
 * {@code wasmengine_rejected_total},
 * and per function the gauges {@code wasmengine_pool_instances}, {@code wasmengine_queue_depth},
 * {@code wasmengine_inflight_calls}.
 */
public final class InvokeMetrics {
  private final MeterRegistry registry;

  public InvokeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void invocation(String function, String outcome, long nanos) {
    Counter.builder("wasmengine.invocations").tag("function", function).tag("outcome", outcome)
        .description("Invocations by function and outcome").register(registry).increment();
    Timer.builder("wasmengine.invocation").tag("function", function)
        .description("Time from acceptance to answer, queueing included")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1).dividedBy(100))
        .maximumExpectedValue(Duration.ofMinutes(1))
        .register(registry).record(Duration.ofNanos(nanos));
  }

  /** An instantiation on the request path ("request") or to fill a pool ("pool"). */
  void instantiation(String function, String path, long nanos) {
    Timer.builder("wasmengine.instantiation").tag("function", function).tag("path", path)
        .description("Instantiating a compiled module")
        .register(registry).record(Duration.ofNanos(nanos));
    if (path.equals("request")) {
      Counter.builder("wasmengine.cold.starts").tag("function", function)
          .description("Calls that found no warm instance and instantiated on their own path")
          .register(registry).increment();
    }
  }

  /**
   * From a call's start to the moment its guest thread holds an instance: a hop to the guest
   * scheduler for a warm one ("pool"), plus the instantiation when there is none ("request").
   */
  void acquired(String function, String path, long nanos) {
    Timer.builder("wasmengine.acquire").tag("function", function).tag("path", path)
        .description("Time for a call to get an instance")
        .publishPercentiles(0.5, 0.99)
        .register(registry).record(Duration.ofNanos(nanos));
  }

  void rejected(String function, String reason) {
    Counter.builder("wasmengine.rejected").tag("function", function).tag("reason", reason)
        .description("Calls refused at once with 429").register(registry).increment();
  }

  /** Gauges that read the slot's counters; removed with {@link #forget(List)}. */
  List<Meter> watch(FunctionSlot slot) {
    String function = slot.record().name();
    return List.of(
        Gauge.builder("wasmengine.pool.instances", slot, s -> s.warmCount()).tag("function", function)
            .description("Warm instances ready in the pool").register(registry),
        Gauge.builder("wasmengine.queue.depth", slot, s -> s.queuedCount()).tag("function", function)
            .description("Calls waiting for an instance").register(registry),
        Gauge.builder("wasmengine.inflight.calls", slot, s -> s.inFlightCount()).tag("function", function)
            .description("Calls running now").register(registry));
  }

  void forget(List<Meter> meters) {
    meters.forEach(registry::remove);
  }
}
