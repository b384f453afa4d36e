package dev.wasmengine.runtime.wasi;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmengine.runtime.chicory.ChicoryMemory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The tests' adapter from real Chicory instances to {@link WasiHost}: every preview1 function as
 * a Chicory HostFunction whose body is {@code host.invoke(...)}, over the instance's memory.
 */
final class ChicoryWasi {
  /** A module compiled to JVM bytecode once, as the engine's aot model does. */
  record Compiled(WasmModule module, Function<Instance, Machine> machines) {}

  private static final Map<Object, Compiled> COMPILED = new ConcurrentHashMap<>();

  private ChicoryWasi() {}

  static Compiled compile(Object key, byte[] bytes) {
    return COMPILED.computeIfAbsent(key, k -> {
      WasmModule module = Parser.parse(bytes);
      return new Compiled(module, MachineFactoryCompiler.builder(module)
          .withInterpreterFallback(InterpreterFallback.SILENT)
          .compile());
    });
  }

  /** An instance (start function not run) whose WASI imports all go to {@code host}. */
  static Instance instantiate(Compiled compiled, WasiHost host, List<String> calls) {
    return Instance.builder(compiled.module())
        .withMachineFactory(compiled.machines())
        .withImportValues(ImportValues.builder().addFunction(hostFunctions(host, calls)).build())
        .withStart(false)
        .build();
  }

  /** Every preview1 function, typed from {@link WasiFunctions}; each call's name is added to {@code calls}. */
  static HostFunction[] hostFunctions(WasiHost host, List<String> calls) {
    return WasiFunctions.ALL.entrySet().stream()
        .map(entry -> {
          String name = entry.getKey();
          FunctionType type = FunctionType.of(valTypes(entry.getValue().params()), valTypes(entry.getValue().results()));
          return new HostFunction(WasiFunctions.MODULE, name, type, (instance, args) -> {
            calls.add(name);
            return host.invoke(name, new ChicoryMemory(instance.memory()), args);
          });
        })
        .toArray(HostFunction[]::new);
  }

  static List<ValType> valTypes(List<String> types) {
    return types.stream().map(t -> t.equals("i64") ? ValType.I64 : ValType.I32).toList();
  }
}
