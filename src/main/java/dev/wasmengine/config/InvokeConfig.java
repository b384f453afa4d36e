package dev.wasmengine.config;

import dev.wasmengine.runtime.InstancePolicy;
import java.time.Duration;

/**
 * How functions run.
 *
 * @param workers          invoker verticles; each owns the pools and queues of a share of the functions
 * @param scheduler        where guest code runs: a fixed pool of {@code guestThreads} platform
 *                         threads, or a virtual thread per call
 * @param timeout          how long a caller waits for an answer, queueing included
 * @param deadline         how long one call may run before it is stopped (per-function override)
 * @param maxExecuteTime   Vert.x's blocked-thread warning threshold for the engine's pools
 * @param minInstances     warm instances kept per function (label com.openfaas.scale.min overrides)
 * @param maxInstances     concurrent calls per function (label com.openfaas.scale.max overrides)
 * @param queuePerFunction calls waiting per function beyond maxInstances; past it: 429
 * @param queueTotal       calls waiting in the whole engine; past it: 429
 * @param idle             a function without calls this long drops to zero instances
 * @param maxMemoryPages   default ceiling of a function's linear memory (64 KiB pages)
 * @param maxCallDepth     how deep function-to-function calls may nest
 */
public record InvokeConfig(
    int workers,
    Scheduler scheduler,
    int guestThreads,
    Duration timeout,
    Duration deadline,
    Duration maxExecuteTime,
    InstancePolicy instancePolicy,
    int minInstances,
    int maxInstances,
    int queuePerFunction,
    int queueTotal,
    Duration idle,
    int maxMemoryPages,
    int maxCallDepth) {

  public enum Scheduler { WORKERS, VIRTUAL }
}
