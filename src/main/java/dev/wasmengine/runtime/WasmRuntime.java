package dev.wasmengine.runtime;

/**
 * One way of executing WebAssembly. Compiling is the expensive, once-per-digest step; the
 * compiled module then makes cheap instances. Implementations are thread-safe.
 */
public interface WasmRuntime extends AutoCloseable {

  ExecutionModel model();

  /**
   * Validates and compiles a module. Throws {@link dev.wasmengine.error.MalformedModuleException}
   * or {@link dev.wasmengine.error.InvalidModuleException} when the bytes are not a valid module.
   */
  CompiledModule compile(ModuleDigest digest, byte[] bytes);

  /** A short description for logs and {@code /system/info}, e.g. the engine implementation. */
  String description();

  @Override
  void close();
}
