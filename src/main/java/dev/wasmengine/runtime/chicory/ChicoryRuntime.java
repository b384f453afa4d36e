package dev.wasmengine.runtime.chicory;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.ModuleShape;
import dev.wasmengine.runtime.WasmRuntime;
import java.util.function.Function;

/**
 * The {@code aot} execution model: Chicory translates the whole module to JVM bytecode at
 * deploy, and HotSpot's JIT takes it from there. Functions too large for a JVM method run in
 * Chicory's interpreter instead, silently (the result is the same, only slower).
 */
public final class ChicoryRuntime implements WasmRuntime {
  private final boolean interpreted;

  public ChicoryRuntime() {
    this(false);
  }

  private ChicoryRuntime(boolean interpreted) {
    this.interpreted = interpreted;
  }

  /** Chicory's interpreter, without the bytecode compiler: only for measuring what compiling buys. */
  public static ChicoryRuntime interpreted() {
    return new ChicoryRuntime(true);
  }

  @Override
  public ExecutionModel model() {
    return ExecutionModel.AOT;
  }

  @Override
  public CompiledModule compile(ModuleDigest digest, byte[] bytes) {
    WasmModule module = ModuleShape.parse(bytes);
    Function<Instance, Machine> machines = null;
    if (!interpreted) {
      try {
        machines = MachineFactoryCompiler.builder(module)
            .withInterpreterFallback(InterpreterFallback.SILENT)
            .compile();
      } catch (ChicoryException e) {
        throw new InvalidModuleException("module cannot be compiled to JVM bytecode: " + e.getMessage());
      }
    }
    return new ChicoryModule(digest, module, ModuleShape.of(module), machines);
  }

  @Override
  public String description() {
    return interpreted ? "Chicory 1.7.5 interpreter" : "Chicory 1.7.5 bytecode compiler";
  }

  @Override
  public void close() {
    // Compiled classes belong to their modules and are collected with them.
  }
}
