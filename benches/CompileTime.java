// Deploy-time cost of modules on each execution model: parse + validate + compile (the once-per-
// digest step), then the first instantiate + run of the module's entry. Run through
// benches/compile-time.sh, which puts the engine's classes and the JIT flags in place.
// Usage: java ... CompileTime.java MODULE.wasm...
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasiContext;
import dev.wasmengine.runtime.WasmRuntime;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class CompileTime {
  public static void main(String[] args) throws Exception {
    List<WasmRuntime> runtimes = List.of(GraalRuntime.create(), new ChicoryRuntime());
    System.out.printf("%-28s %10s %6s %12s %16s%n", "module", "bytes", "model", "compile_ms", "first_instance_ms");
    for (String arg : args) {
      Path file = Path.of(arg);
      byte[] bytes = Files.readAllBytes(file);
      for (WasmRuntime runtime : runtimes) {
        long start = System.nanoTime();
        CompiledModule module = runtime.compile(ModuleDigest.of(bytes), bytes);
        long compiled = System.nanoTime();
        try (GuestInstance instance = module.instantiate(WasiContext.none())) {
          // Instantiation only: running needs the function's ABI and input.
        }
        long instantiated = System.nanoTime();
        System.out.printf("%-28s %10d %6s %12.1f %16.1f%n", file.getFileName(), bytes.length,
            runtime.model().wireName(), (compiled - start) / 1e6, (instantiated - compiled) / 1e6);
      }
    }
    runtimes.forEach(WasmRuntime::close);
  }
}
