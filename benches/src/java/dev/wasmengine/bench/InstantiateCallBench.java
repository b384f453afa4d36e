package dev.wasmengine.bench;

import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.FunctionAbi;
import dev.wasmengine.runtime.FunctionGrant;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.runtime.GuestRequest;
import dev.wasmengine.runtime.FunctionCaller;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.GuestLimits;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasmRuntime;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The original WasmEngine's table: a fresh instance and one call, per bench function, on each
 * execution model, through the engine's own ABI code (what a call without a warm instance does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InstantiateCallBench {
  /** Where the bench modules are (benches/build/modules), passed by the harness. */
  public static final String MODULES_PROPERTY = "wasmengine.bench.modules";

  @Param({"gcd", "gcd_wasi", "echo_string", "echo_string_wasi", "authentication", "authentication_wasi"})
  public String function;

  @Param({"jit", "aot", "interp"})
  public String engine;

  private WasmRuntime runtime;
  private CompiledModule module;
  private FunctionAbi abi;
  private String export;
  private byte[] input;

  @Setup(Level.Trial)
  public void compile() throws IOException {
    byte[] bytes = Files.readAllBytes(Path.of(System.getProperty(MODULES_PROPERTY), function + ".wasm"));
    runtime = switch (engine) {
      case "jit" -> GraalRuntime.create();
      case "aot" -> new ChicoryRuntime();
      default -> ChicoryRuntime.interpreted();
    };
    module = runtime.compile(ModuleDigest.of(bytes), bytes);
    abi = FunctionAbi.of(function.endsWith("_wasi") ? FunctionKind.COMMAND : FunctionKind.EXPORT);
    export = function.replace("_wasi", "");
    input = BenchFunctions.input(export).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] instantiateAndCall() {
    try (GuestInstance instance = module.instantiate()) {
      return abi.invoke(instance, export, GuestRequest.of(input), FunctionGrant.NONE, GuestLimits.DEFAULT,
          FunctionCaller.NONE).body();
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    runtime.close();
  }
}
