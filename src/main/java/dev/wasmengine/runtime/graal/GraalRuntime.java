package dev.wasmengine.runtime.graal;

import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.ModuleShape;
import dev.wasmengine.runtime.WasmRuntime;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.ByteSequence;

/**
 * The {@code jit} execution model: GraalWasm on one shared polyglot {@link Engine}, so code that
 * Truffle and the Graal compiler optimised for a module serves every later instance of it.
 * Refuses to start on the fallback (interpreter-only) runtime.
 */
public final class GraalRuntime implements WasmRuntime {
  /** What the polyglot engine calls itself when it runs without runtime compilation. */
  static final String FALLBACK_IMPLEMENTATION = "Interpreted";

  private final Engine engine;

  private GraalRuntime(Engine engine) {
    this.engine = engine;
  }

  /** Creates the shared engine; throws {@link JitUnavailableException} when it would interpret. */
  public static GraalRuntime create() {
    Engine engine = Engine.newBuilder("wasm")
        // We check for the fallback ourselves and refuse it, instead of letting it warn and run slowly.
        .option("engine.WarnInterpreterOnly", "false")
        // Guests run on virtual threads (invoke.scheduler=virtual, nested calls), which GraalWasm
        // supports but warns about; silencing that warning is the only experimental option used.
        .allowExperimentalOptions(true)
        .option("engine.WarnVirtualThreadSupport", "false")
        .build();
    if (FALLBACK_IMPLEMENTATION.equals(engine.getImplementationName())) {
      String implementation = engine.getImplementationName();
      engine.close();
      throw new JitUnavailableException(implementation);
    }
    return new GraalRuntime(engine);
  }

  /** The polyglot engine implementation, e.g. "GraalVM CE" (never "Interpreted"). */
  public String implementationName() {
    return engine.getImplementationName();
  }

  @Override
  public ExecutionModel model() {
    return ExecutionModel.JIT;
  }

  @Override
  public CompiledModule compile(ModuleDigest digest, byte[] bytes) {
    ModuleShape shape = ModuleShape.inspect(bytes);
    // Named by digest, so Truffle's per-source code cache is keyed by the module's identity.
    Source source = Source.newBuilder("wasm", ByteSequence.create(bytes), digest.hex()).cached(true).buildLiteral();
    GraalModule module = new GraalModule(engine, digest, shape, source);
    module.validate();
    return module;
  }

  @Override
  public String description() {
    return "GraalWasm " + engine.getVersion() + " on " + engine.getImplementationName();
  }

  @Override
  public void close() {
    engine.close(true);
  }
}
