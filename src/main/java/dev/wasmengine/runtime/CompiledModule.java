package dev.wasmengine.runtime;

/** A module compiled once, from which any number of isolated instances are made. Thread-safe. */
public interface CompiledModule {

  ModuleDigest digest();

  ModuleShape shape();

  /**
   * Instantiates the module with its own memory and globals. WASI imports, when the module has
   * them, see only what {@code wasi} grants. Throws {@link dev.wasmengine.error.LinkException}
   * when the module imports something the engine does not provide.
   */
  GuestInstance instantiate(WasiContext wasi);
}
