package dev.wasmengine.runtime.chicory;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UnlinkableException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.HostImports;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.ModuleShape;
import java.util.List;
import java.util.function.Function;

/** A module translated to JVM classes once; each instance gets its own memory, globals and host imports. */
final class ChicoryModule implements CompiledModule {
  private final ModuleDigest digest;
  private final WasmModule module;
  private final ModuleShape shape;
  /** Tied to this exact WasmModule object: Chicory refuses it for a re-parsed copy. Null: interpret. */
  private final Function<Instance, Machine> machines;

  ChicoryModule(ModuleDigest digest, WasmModule module, ModuleShape shape, Function<Instance, Machine> machines) {
    this.digest = digest;
    this.module = module;
    this.shape = shape;
    this.machines = machines;
  }

  @Override
  public ModuleDigest digest() {
    return digest;
  }

  @Override
  public ModuleShape shape() {
    return shape;
  }

  @Override
  public GuestInstance instantiate() {
    HostImports imports = HostImports.forModule(shape);
    HostFunction[] functions = imports.functions().stream().map(ChicoryModule::hostFunction).toArray(HostFunction[]::new);
    try {
      Instance.Builder builder = Instance.builder(module)
          .withImportValues(ImportValues.builder().addFunction(functions).build())
          .withStart(false);
      if (machines != null) {
        builder.withMachineFactory(machines);
      }
      Instance instance = builder.build();
      return new ChicoryInstance(instance, imports);
    } catch (UnlinkableException e) {
      throw new LinkException("module cannot be linked: " + e.getMessage());
    } catch (ChicoryException | StackOverflowError e) {
      throw ChicoryTraps.translate(e);
    }
  }

  private static HostFunction hostFunction(HostImports.HostFunction function) {
    FunctionType type = FunctionType.of(valueTypes(function.signature().params()), valueTypes(function.signature().results()));
    return new HostFunction(function.module(), function.name(), type,
        (instance, args) -> function.handler().call(new ChicoryMemory(instance.memory()), args));
  }

  private static List<ValType> valueTypes(List<String> names) {
    return names.stream().map(name -> name.equals("i64") ? ValType.I64 : ValType.I32).toList();
  }
}
