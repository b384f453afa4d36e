package dev.wasmengine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.testing.Modules;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModuleCacheTest {

  /** The real Chicory runtime, counting how often it is asked to compile. */
  static final class CountingRuntime implements WasmRuntime {
    final WasmRuntime real = new ChicoryRuntime();
    final AtomicInteger compiles = new AtomicInteger();

    @Override
    public ExecutionModel model() {
      return real.model();
    }

    @Override
    public CompiledModule compile(ModuleDigest digest, byte[] bytes) {
      compiles.incrementAndGet();
      return real.compile(digest, bytes);
    }

    @Override
    public String description() {
      return real.description();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void a_module_is_compiled_once_however_many_threads_ask_for_it() throws Exception {
    CountingRuntime runtime = new CountingRuntime();
    byte[] bytes = Modules.bytes(Modules.example("gcd"));
    ModuleDigest digest = ModuleDigest.of(bytes);
    try (ModuleCache cache = new ModuleCache(Map.of(ExecutionModel.AOT, runtime));
        ExecutorService threads = Executors.newFixedThreadPool(8)) {
      List<Future<CompiledModule>> results = threads.invokeAll(
          java.util.Collections.nCopies(32, () -> cache.get(ExecutionModel.AOT, digest, 16, () -> bytes)));
      CompiledModule first = results.get(0).get();
      for (Future<CompiledModule> result : results) {
        assertSame(first, result.get());
      }
      assertEquals(1, runtime.compiles.get());

      cache.release(digest);
      assertNotSame(first, cache.get(ExecutionModel.AOT, digest, 16, () -> bytes));
      assertEquals(2, runtime.compiles.get());
    }
  }

  @Test
  void a_failed_compile_is_not_remembered() {
    CountingRuntime runtime = new CountingRuntime();
    byte[] invalid = Modules.bytes(Modules.testGuest("invalid"));
    ModuleDigest digest = ModuleDigest.of(invalid);
    try (ModuleCache cache = new ModuleCache(Map.of(ExecutionModel.AOT, runtime))) {
      assertThrows(InvalidModuleException.class, () -> cache.get(ExecutionModel.AOT, digest, 16, () -> invalid));
      assertThrows(InvalidModuleException.class, () -> cache.get(ExecutionModel.AOT, digest, 16, () -> invalid));
      assertEquals(2, runtime.compiles.get());
    }
  }

  @Test
  void the_memory_ceiling_is_part_of_a_compiled_module_identity() {
    CountingRuntime runtime = new CountingRuntime();
    byte[] bytes = Modules.bytes(Modules.example("gcd"));
    ModuleDigest digest = ModuleDigest.of(bytes);
    try (ModuleCache cache = new ModuleCache(Map.of(ExecutionModel.AOT, runtime))) {
      assertNotSame(cache.get(ExecutionModel.AOT, digest, 16, () -> bytes), cache.get(ExecutionModel.AOT, digest, 32, () -> bytes));
      assertEquals(2, runtime.compiles.get());
    }
  }
}
