package dev.wasmengine.invoke;

import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.FunctionAbi;
import dev.wasmengine.runtime.FunctionGrant;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.store.FunctionRecord;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One function as its invoker shard runs it: the compiled module, the warm instances, the calls
 * running and waiting. Touched only on the shard's context; the atomic counters exist so the
 * metrics scraper can read them from its own thread.
 */
final class FunctionSlot {
  private final FunctionRecord record;
  private final CompiledModule module;
  private final FunctionAbi abi;
  private final FunctionSettings settings;
  private final FunctionGrant grant;
  /** Names the shard in the function's log lines, as OpenFaaS names a replica. */
  private final String instanceName;

  final ArrayDeque<GuestInstance> warm = new ArrayDeque<>();
  final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
  private final AtomicInteger warmCount = new AtomicInteger();
  private final AtomicInteger queuedCount = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  int refilling;
  long lastUsedNanos = System.nanoTime();
  /** Dropped to zero instances after idling; refilled by the next call. */
  boolean scaledToZero;
  /** Replaced or deleted: finishing calls must not return instances to it. */
  boolean retired;
  /** Registered once the slot is resolved. */
  InvokeMetrics.FunctionMeters meters;

  FunctionSlot(FunctionRecord record, CompiledModule module, FunctionAbi abi, FunctionSettings settings,
      FunctionGrant grant, String instanceName) {
    this.record = record;
    this.module = module;
    this.abi = abi;
    this.settings = settings;
    this.grant = grant;
    this.instanceName = instanceName;
  }

  FunctionGrant grant() {
    return grant;
  }

  String instanceName() {
    return instanceName;
  }

  FunctionRecord record() {
    return record;
  }

  CompiledModule module() {
    return module;
  }

  FunctionAbi abi() {
    return abi;
  }

  FunctionSettings settings() {
    return settings;
  }

  void addWarm(GuestInstance instance) {
    warm.push(instance);
    warmCount.set(warm.size());
  }

  GuestInstance takeWarm() {
    GuestInstance instance = warm.poll();
    warmCount.set(warm.size());
    return instance;
  }

  void enqueue(PendingCall call) {
    queue.add(call);
    queuedCount.set(queue.size());
  }

  PendingCall dequeue() {
    PendingCall call = queue.poll();
    queuedCount.set(queue.size());
    return call;
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished() {
    inFlight.decrementAndGet();
  }

  int inFlightCount() {
    return inFlight.get();
  }

  int warmCount() {
    return warmCount.get();
  }

  int queuedCount() {
    return queuedCount.get();
  }
}
