package dev.wasmengine.runtime;

/** A module compiled once, from which any number of isolated instances are made. Thread-safe. */
public interface CompiledModule {

  ModuleDigest digest();

  ModuleShape shape();

  /**
   * A new instance with its own memory, globals and host imports ({@link HostImports}), not yet
   * bound to any call. Throws {@link dev.wasmengine.error.LinkException} when the module imports
   * something the engine does not provide.
   */
  GuestInstance instantiate();
}
