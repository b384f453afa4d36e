package dev.wasmengine.invoke;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The invocation meters, in Prometheus terms: {@code wasmengine_invocations_total{function,outcome}},
 * {@code wasmengine_invocation_seconds} (histogram), {@code wasmengine_cold_starts_total},
 * {@code wasmengine_instantiation_seconds{function,path}}, {@code wasmengine_acquire_seconds{function,path}},
 * {@code wasmengine_rejected_total}, and per function the gauges {@code wasmengine_pool_instances},
 * {@code wasmengine_queue_depth}, {@code wasmengine_inflight_calls}. Each function's meters are
 * registered once and kept ({@link FunctionMeters}): looking them up per call costs more than a call.
 */
public final class InvokeMetrics {
  private final MeterRegistry registry;

  public InvokeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of one function, registered now; {@link FunctionMeters#remove()} drops them. */
  FunctionMeters forFunction(FunctionSlot slot) {
    return new FunctionMeters(registry, slot);
  }

  /** One function's meters, for the calls of its slot. */
  static final class FunctionMeters {
    private final MeterRegistry registry;
    private final String function;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Timer instantiatePool;
    private final Timer instantiateRequest;
    private final Timer acquirePool;
    private final Timer acquireRequest;
    private final Counter coldStarts;

    private FunctionMeters(MeterRegistry registry, FunctionSlot slot) {
      this.registry = registry;
      this.function = slot.record().ref().toString();
      latency = keep(Timer.builder("wasmengine.invocation").tag("function", function)
          .description("Time from acceptance to answer, queueing included")
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1).dividedBy(100))
          .maximumExpectedValue(Duration.ofMinutes(1))
          .register(registry));
      instantiatePool = keep(instantiation("pool"));
      instantiateRequest = keep(instantiation("request"));
      acquirePool = keep(acquire("pool"));
      acquireRequest = keep(acquire("request"));
      coldStarts = keep(Counter.builder("wasmengine.cold.starts").tag("function", function)
          .description("Calls that found no warm instance and instantiated on their own path").register(registry));
      keep(Gauge.builder("wasmengine.pool.instances", slot, s -> s.warmCount()).tag("function", function)
          .description("Warm instances ready in the pool").register(registry));
      keep(Gauge.builder("wasmengine.queue.depth", slot, s -> s.queuedCount()).tag("function", function)
          .description("Calls waiting for an instance").register(registry));
      keep(Gauge.builder("wasmengine.inflight.calls", slot, s -> s.inFlightCount()).tag("function", function)
          .description("Calls running now").register(registry));
    }

    private Timer instantiation(String path) {
      return Timer.builder("wasmengine.instantiation").tag("function", function).tag("path", path)
          .description("Instantiating a compiled module").register(registry);
    }

    /** From a call's start to its guest thread holding an instance: from the pool, or made on its path. */
    private Timer acquire(String path) {
      return Timer.builder("wasmengine.acquire").tag("function", function).tag("path", path)
          .description("Time for a call to get an instance")
          .publishPercentiles(0.5, 0.99)
          .register(registry);
    }

    private <M extends Meter> M keep(M meter) {
      meters.add(meter);
      return meter;
    }

    void invocation(String outcome, long nanos) {
      outcomes.computeIfAbsent(outcome, o -> keep(Counter.builder("wasmengine.invocations").tag("function", function)
          .tag("outcome", o).description("Invocations by function and outcome").register(registry))).increment();
      latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An instantiation to fill the pool, or on a call's own path (a cold start). */
    void instantiation(boolean onRequestPath, long nanos) {
      (onRequestPath ? instantiateRequest : instantiatePool).record(nanos, TimeUnit.NANOSECONDS);
      if (onRequestPath) {
        coldStarts.increment();
      }
    }

    void acquired(boolean fromPool, long nanos) {
      (fromPool ? acquirePool : acquireRequest).record(nanos, TimeUnit.NANOSECONDS);
    }

    void rejected(String reason) {
      rejections.computeIfAbsent(reason, r -> keep(Counter.builder("wasmengine.rejected").tag("function", function)
          .tag("reason", r).description("Calls refused at once with 429").register(registry))).increment();
    }

    /** Counters keep counting across an update (same names and tags); gauges of the old slot go. */
    void remove() {
      meters.stream().filter(Gauge.class::isInstance).forEach(registry::remove);
    }
  }
}
