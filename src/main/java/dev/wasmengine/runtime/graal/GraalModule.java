package dev.wasmengine.runtime.graal;

import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.error.UnavailableException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.HostImports;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.ModuleShape;
import dev.wasmengine.runtime.wasi.GuestMemory;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A module parsed into the shared engine. Each instance lives in its own Context (a Context
 * admits concurrent callers, so one per instance keeps calls apart) and gets the engine's host
 * imports, WASI included, as ordinary imports: GraalWasm's built-in WASI is not used.
 */
final class GraalModule implements CompiledModule {
  private final Engine engine;
  private final ModuleDigest digest;
  private final ModuleShape shape;
  private final Source source;

  GraalModule(Engine engine, ModuleDigest digest, ModuleShape shape, Source source) {
    this.engine = engine;
    this.digest = digest;
    this.shape = shape;
    this.source = source;
  }

  @Override
  public ModuleDigest digest() {
    return digest;
  }

  @Override
  public ModuleShape shape() {
    return shape;
  }

  /** Lets GraalWasm parse and validate the module once, which also fills the engine's code cache. */
  void validate() {
    try (Context context = newContext()) {
      context.eval(source);
    } catch (PolyglotException e) {
      throw new InvalidModuleException("GraalWasm rejects the module: " + e.getMessage());
    }
  }

  @Override
  public GuestInstance instantiate() {
    HostImports imports = HostImports.forModule(shape);
    Context context;
    try {
      context = newContext();
    } catch (PolyglotException e) {
      throw outOfMemory(e) ? new UnavailableException("not enough memory left for another instance") : e;
    }
    AtomicReference<GuestMemory> memory = new AtomicReference<>();
    try {
      Value instance = context.eval(source).newInstance(importObject(imports, memory));
      Value exports = instance.getMember("exports");
      Value exported = exports.getMember("memory");
      if (exported != null && exported.hasBufferElements()) {
        memory.set(new GraalMemory(exported));
      }
      return new GraalInstance(context, exports, imports);
    } catch (PolyglotException e) {
      context.close(true);
      if (outOfMemory(e)) {
        throw new UnavailableException("not enough memory left for another instance");
      }
      if (e.isGuestException() && !e.isSyntaxError()) {
        throw new LinkException("module cannot be instantiated: " + e.getMessage());
      }
      throw GraalTraps.translate(e);
    }
  }

  /** GraalWasm's ways of saying the heap is (nearly) full. */
  private static boolean outOfMemory(PolyglotException e) {
    String message = String.valueOf(e.getMessage());
    return e.isResourceExhausted() || message.contains("could not allocate memory") || message.contains("GC overhead limit");
  }

  /**
   * {@code {module: {name: function}}} for {@code newInstance}. Host functions reach the memory
   * through a holder filled right after instantiation, before any call can run.
   */
  private static ProxyObject importObject(HostImports imports, AtomicReference<GuestMemory> memory) {
    Map<String, Map<String, Object>> modules = new HashMap<>();
    for (HostImports.HostFunction function : imports.functions()) {
      boolean returns = !function.signature().results().isEmpty();
      ProxyExecutable body = arguments -> {
        long[] args = new long[arguments.length];
        for (int i = 0; i < args.length; i++) {
          args[i] = arguments[i].asLong();
        }
        long[] results = function.handler().call(memory.get(), args);
        return returns ? (Object) (int) results[0] : null;
      };
      modules.computeIfAbsent(function.module(), m -> new HashMap<>()).put(function.name(), body);
    }
    Map<String, Object> object = new HashMap<>();
    modules.forEach((module, functions) -> object.put(module, ProxyObject.fromMap(functions)));
    return ProxyObject.fromMap(object);
  }

  /**
   * A Context that grants the guest nothing: no host environment, no files, no streams of the
   * process. Polyglot access only lets the host reach GraalWasm's {@code WebAssembly} object (to
   * grow memory); the guest cannot use it.
   */
  private Context newContext() {
    return Context.newBuilder("wasm")
        .engine(engine)
        .allowPolyglotAccess(PolyglotAccess.ALL)
        .in(new ByteArrayInputStream(new byte[0]))
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .build();
  }
}
