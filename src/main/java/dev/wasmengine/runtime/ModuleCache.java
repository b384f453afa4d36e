package dev.wasmengine.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Compiled modules of a process, one per (execution model, digest, memory ceiling): the
 * expensive compile happens once however many functions, workers and instances use a module.
 * Concurrent requests for the same module wait for the one compile in progress.
 */
public final class ModuleCache implements AutoCloseable {
  private record Key(ExecutionModel model, ModuleDigest digest, int maxMemoryPages) {}

  private final Map<ExecutionModel, WasmRuntime> runtimes;
  private final ConcurrentHashMap<Key, CompletableFuture<CompiledModule>> compiled = new ConcurrentHashMap<>();

  public ModuleCache(Map<ExecutionModel, WasmRuntime> runtimes) {
    this.runtimes = new EnumMap<>(runtimes);
  }

  public WasmRuntime runtime(ExecutionModel model) {
    WasmRuntime runtime = runtimes.get(model);
    if (runtime == null) {
      throw new IllegalStateException("no runtime for execution model " + model.wireName());
    }
    return runtime;
  }

  /**
   * Returns the compiled module, its memory capped at {@code maxMemoryPages}, compiling it from
   * {@code bytes} on first use. Blocking: call on a worker thread. A failed compile is not
   * cached, so a later deploy may try again.
   */
  public CompiledModule get(ExecutionModel model, ModuleDigest digest, int maxMemoryPages, Supplier<byte[]> bytes) {
    Key key = new Key(model, digest, maxMemoryPages);
    CompletableFuture<CompiledModule> mine = new CompletableFuture<>();
    CompletableFuture<CompiledModule> existing = compiled.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(runtime(model).compile(digest, MemoryCeiling.apply(bytes.get(), maxMemoryPages)));
      } catch (RuntimeException | Error e) {
        compiled.remove(key, mine);
        mine.completeExceptionally(e);
        throw e;
      }
      return mine.join();
    }
    try {
      return existing.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtimeFailure) {
        throw runtimeFailure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a compile", e);
    }
  }

  /** Forgets a module no function uses any more; instances already made keep working. */
  public void release(ModuleDigest digest) {
    compiled.keySet().removeIf(key -> key.digest().equals(digest));
  }

  @Override
  public void close() {
    compiled.clear();
    runtimes.values().forEach(WasmRuntime::close);
  }
}
