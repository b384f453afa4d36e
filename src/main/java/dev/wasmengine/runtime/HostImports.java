package dev.wasmengine.runtime;

import dev.wasmengine.error.LinkException;
import dev.wasmengine.runtime.ModuleShape.ExportKind;
import dev.wasmengine.runtime.ModuleShape.ImportName;
import dev.wasmengine.runtime.ModuleShape.Signature;
import dev.wasmengine.runtime.wasi.GuestMemory;
import dev.wasmengine.runtime.wasi.WasiFunctions;
import dev.wasmengine.runtime.wasi.WasiHost;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an instance may import, implemented once for both runtimes: WASI preview 1 (the
 * engine's own, sandboxed implementation) and {@value EngineCalls#MODULE} (calls to other
 * functions). Each runtime turns {@link #functions()} into its own kind of host function. A
 * module importing anything else, or with another type, is refused as a link error.
 */
public final class HostImports {
  /** One host function as a module imports it. */
  public record HostFunction(String module, String name, Signature signature, Handler handler) {}

  /** The body of a host function: the instance's memory and the wasm arguments in, results out. */
  public interface Handler {
    long[] call(GuestMemory memory, long[] args);
  }

  private final WasiHost wasi;
  private final EngineCalls engine;
  private final List<HostFunction> functions;

  private HostImports(WasiHost wasi, EngineCalls engine, List<HostFunction> functions) {
    this.wasi = wasi;
    this.engine = engine;
    this.functions = List.copyOf(functions);
  }

  /** The host functions for one new instance of a module; throws LinkException for what is not offered. */
  public static HostImports forModule(ModuleShape shape) {
    WasiHost wasi = null;
    EngineCalls engine = null;
    List<HostFunction> functions = new ArrayList<>();
    for (ImportName wanted : shape.imports()) {
      Signature offered = offered(wanted);
      if (wanted.kind() != ExportKind.FUNCTION || offered == null) {
        throw new LinkException("module imports " + wanted + ", which the engine does not provide");
      }
      if (!offered.equals(wanted.signature().orElse(null))) {
        throw new LinkException("module imports " + wanted.module() + "." + wanted.name() + " as "
            + wanted.signature().map(Signature::toString).orElse("?") + "; the engine provides " + offered);
      }
      String name = wanted.name();
      if (wanted.module().equals(WasiFunctions.MODULE)) {
        WasiHost host = wasi == null ? (wasi = new WasiHost()) : wasi;
        functions.add(new HostFunction(wanted.module(), name, offered, (memory, args) -> host.invoke(name, memory, args)));
      } else {
        EngineCalls calls = engine == null ? (engine = new EngineCalls()) : engine;
        functions.add(new HostFunction(wanted.module(), name, offered, (memory, args) -> calls.invoke(name, memory, args)));
      }
    }
    return new HostImports(wasi, engine, functions);
  }

  private static Signature offered(ImportName wanted) {
    if (wanted.module().equals(WasiFunctions.MODULE) && WasiFunctions.ALL.containsKey(wanted.name())) {
      WasiFunctions.Signature wasi = WasiFunctions.signature(wanted.name());
      return new Signature(wasi.params(), wasi.results());
    }
    if (wanted.module().equals(EngineCalls.MODULE)) {
      return EngineCalls.SIGNATURES.get(wanted.name());
    }
    return null;
  }

  public List<HostFunction> functions() {
    return functions;
  }

  public void bind(HostContext context) {
    if (wasi != null) {
      wasi.bind(context.wasi());
    }
    if (engine != null) {
      engine.bind(context.caller());
    }
  }

  public void unbind() {
    if (wasi != null) {
      wasi.unbind();
    }
    if (engine != null) {
      engine.unbind();
    }
  }
}
