package dev.wasmengine.runtime.graal;

import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.ModuleShape;
import dev.wasmengine.runtime.WasiContext;
import java.io.ByteArrayInputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * A module parsed into the shared engine. Each instance lives in its own Context, because WASI
 * argv, environment and streams are per Context in GraalWasm, and because a Context admits
 * concurrent callers: one Context per instance keeps requests apart.
 */
final class GraalModule implements CompiledModule {
  private static final String WASI_BUILTINS = "wasi_snapshot_preview1";

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
    try (Context context = newContext(WasiContext.none())) {
      context.eval(source);
    } catch (PolyglotException e) {
      throw new InvalidModuleException("GraalWasm rejects the module: " + e.getMessage());
    }
  }

  @Override
  public GuestInstance instantiate(WasiContext wasi) {
    Context context = newContext(wasi);
    try {
      Value instance = context.eval(source).newInstance();
      return new GraalInstance(context, instance.getMember("exports"));
    } catch (PolyglotException e) {
      context.close(true);
      if (e.isGuestException() && !e.isSyntaxError()) {
        throw new LinkException("module cannot be instantiated: " + e.getMessage());
      }
      throw GraalTraps.translate(e);
    }
  }

  /**
   * A Context that grants the guest nothing but the WASI context: no host environment, no
   * directories, its own stdin/stdout/stderr. Polyglot access only lets the host reach
   * GraalWasm's {@code WebAssembly} object (to grow memory); the guest cannot use it.
   */
  private Context newContext(WasiContext wasi) {
    Context.Builder builder = Context.newBuilder("wasm")
        .engine(engine)
        .allowPolyglotAccess(PolyglotAccess.ALL)
        .in(new ByteArrayInputStream(wasi.stdin()))
        .out(wasi.stdout())
        .err(wasi.stderr());
    if (shape.importsWasi()) {
      builder.option("wasm.Builtins", WASI_BUILTINS).arguments("wasm", wasi.args().toArray(String[]::new));
      wasi.env().forEach(builder::environment);
    }
    return builder.build();
  }
}
