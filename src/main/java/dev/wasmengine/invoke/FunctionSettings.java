package dev.wasmengine.invoke;

import dev.wasmengine.config.InvokeConfig;
import dev.wasmengine.runtime.InstancePolicy;
import dev.wasmengine.store.FunctionOptions;
import dev.wasmengine.store.FunctionRecord;
import java.time.Duration;

/** How one function runs: its options where the deploy set them, the engine's config elsewhere. */
record FunctionSettings(InstancePolicy policy, Duration deadline, int maxMemoryPages, int minInstances,
    int maxInstances, int queueBound) {

  static FunctionSettings of(FunctionRecord record, InvokeConfig config) {
    FunctionOptions options = record.options();
    int max = options.scaleMax().orElse(config.maxInstances());
    // A scale request's replicas win over the label, as a Kubernetes scale wins over the manifest.
    // Either is kept warm even beyond the concurrency: the status then shows as many available
    // replicas as it promises, and a burst finds them ready.
    int min = options.replicas().orElseGet(() -> options.scaleMin().orElse(config.minInstances()));
    // A WASI command runs _start once per instance: it cannot serve a second call.
    InstancePolicy policy = record.kind().wasi() ? InstancePolicy.FRESH : options.instancePolicy().orElse(config.instancePolicy());
    return new FunctionSettings(policy, options.timeout().orElse(config.deadline()),
        options.maxMemoryPages().orElse(config.maxMemoryPages()), min, max, config.queuePerFunction());
  }
}
