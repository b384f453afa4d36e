// Resident idle instances of a 1-page module in this JVM's heap: instantiates and keeps them
// until the heap is exhausted, and prints how many it held. The module gets the memory ceiling
// the engine would give it (its default, invoke.max_memory_pages), as a deployed function does.
// Run once per model in its own JVM with a fixed -Xmx (see pool-cost.sh).
// Usage: java ... Density.java MODULE jit|aot MAX_MEMORY_PAGES
import dev.wasmengine.error.UnavailableException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.MemoryCeiling;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasmRuntime;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class Density {
  public static void main(String[] args) throws Exception {
    byte[] bytes = MemoryCeiling.apply(Files.readAllBytes(Path.of(args[0])), Integer.parseInt(args[2]));
    WasmRuntime runtime = args[1].equals("jit") ? GraalRuntime.create() : new ChicoryRuntime();
    CompiledModule module = runtime.compile(ModuleDigest.of(bytes), bytes);
    List<GuestInstance> held = new ArrayList<>();
    long started = System.nanoTime();
    int count = 0;
    try {
      while (true) {
        held.add(module.instantiate());
        count++;
        if (count % 10_000 == 0) {
          System.err.printf("%d instances, %d s%n", count, (System.nanoTime() - started) / 1_000_000_000L);
        }
      }
    } catch (OutOfMemoryError | UnavailableException full) {
      // The JVM's heap, or GraalWasm's own refusal to allocate another memory: either way, full.
      held.clear();
      System.out.printf("%s: %d idle instances held in a heap of %d MiB, memory ceiling %s pages (%d s)%n", args[1],
          count, Runtime.getRuntime().maxMemory() / (1024 * 1024), args[2], (System.nanoTime() - started) / 1_000_000_000L);
    }
    System.exit(0);
  }
}
