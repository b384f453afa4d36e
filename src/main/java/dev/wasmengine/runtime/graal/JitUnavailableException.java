package dev.wasmengine.runtime.graal;

/**
 * GraalWasm came up on its fallback runtime, which interprets about 50x slower than the JIT.
 * The engine refuses to run that way: the JVM needs JVMCI and the Graal compiler (bin/wasm-engine
 * and the test build pass both).
 */
public final class JitUnavailableException extends RuntimeException {
  public JitUnavailableException(String implementation) {
    super("GraalWasm has no JIT in this JVM (polyglot engine implementation: " + implementation + "). "
        + "Start the engine with bin/wasm-engine, or pass the flags in target/jit.args: "
        + "-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI, the GraalVM modules on --module-path "
        + "and the Graal compiler jar on --upgrade-module-path.");
  }
}
