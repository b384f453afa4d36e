package dev.wasmengine.bench;

import dev.wasmengine.error.UnavailableException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.MemoryCeiling;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasmRuntime;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Density: idle instances of a 1-page module held until a fixed heap is full, one JVM per
 * execution model, the module capped at the engine's default memory ceiling as a deployed
 * function is. Bytes per instance = the heap / the count.
 */
public final class DensitySection implements Section {
  static final int DEFAULT_CEILING = 4096;

  @Override
  public String name() {
    return "density";
  }

  @Override
  public JsonObject run(BenchContext context) throws Exception {
    Path module = context.home().resolve("experiments/build/testdata/counter.wasm");
    JsonArray runs = new JsonArray();
    for (String model : List.of("jit", "aot")) {
      runs.add(fill(context, module, model));
    }
    return new JsonObject().put("heap_mib", context.budget().heapMiB()).put("module", "counter.wasm (1 page)")
        .put("runs", runs);
  }

  /**
   * One JVM filling its heap. At the very end of a heap, the JVM may also fail elsewhere (a
   * compiler thread, the GC overhead limit) and exit: the child reports its count as it goes,
   * so the last count it reported is the result then.
   */
  private static JsonObject fill(BenchContext context, Path module, String model) throws Exception {
    long heapBytes = context.budget().heapMiB() * 1024L * 1024L;
    Path output = context.scratch("density").resolve(model + ".out");
    Process process = new ProcessBuilder(context.jvm(DensitySection.class.getName(),
            List.of("-Xms" + context.budget().heapMiB() + "m", "-Xmx" + context.budget().heapMiB() + "m", "-XX:+UseParallelGC"),
            List.of(module.toString(), model)))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the density run of " + model + " did not end within 10 minutes");
    }
    List<JsonObject> reports = Files.readAllLines(output).stream().filter(line -> line.startsWith("{"))
        .map(JsonObject::new).toList();
    if (reports.isEmpty()) {
      throw new IllegalStateException("the density run of " + model + " reported nothing:\n" + Files.readString(output));
    }
    JsonObject last = reports.get(reports.size() - 1);
    if (!last.containsKey("stopped_by")) {
      last.put("stopped_by", "jvm exit " + process.exitValue() + " at the end of the heap").put("heap_bytes", heapBytes);
    }
    int count = last.getInteger("instances");
    return last.put("model", model).put("bytes_per_instance", count == 0 ? 0 : last.getLong("heap_bytes") / count);
  }

  /** Runs in its own JVM: fills the heap with idle instances and prints how many fit. */
  public static void main(String[] args) throws Exception {
    byte[] bytes = MemoryCeiling.apply(Files.readAllBytes(Path.of(args[0])), DEFAULT_CEILING);
    WasmRuntime runtime = args[1].equals("jit") ? GraalRuntime.create() : new ChicoryRuntime();
    CompiledModule module = runtime.compile(ModuleDigest.of(bytes), bytes);
    List<GuestInstance> held = new ArrayList<>();
    long started = System.nanoTime();
    String stoppedBy;
    try {
      while (true) {
        held.add(module.instantiate());
        // Often enough that a JVM dying early in a small heap has still reported a count.
        if (held.size() % 100 == 0) {
          System.out.println("{\"instances\":" + held.size() + "}");
        }
      }
    } catch (OutOfMemoryError full) {
      stoppedBy = "heap";
    } catch (UnavailableException refused) {
      stoppedBy = "allocator";
    }
    int count = held.size();
    held.clear();
    System.out.println(new JsonObject().put("instances", count).put("heap_bytes", Runtime.getRuntime().maxMemory())
        .put("stopped_by", stoppedBy).put("seconds", (System.nanoTime() - started) / 1e9).encode());
    System.exit(0);
  }
}
