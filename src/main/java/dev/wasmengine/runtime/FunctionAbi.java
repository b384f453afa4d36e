package dev.wasmengine.runtime;

/**
 * How arguments reach a guest and its output comes back. The original WasmEngine had two:
 * {@link ExportAbi} (ABI 1, {@code wasi_cap=false}) and {@link CommandAbi} (ABI 2).
 */
public sealed interface FunctionAbi permits ExportAbi, CommandAbi {

  static FunctionAbi of(boolean wasiCap) {
    return wasiCap ? CommandAbi.INSTANCE : ExportAbi.INSTANCE;
  }

  /** Whether a deploy that did not say picks ABI 2: the module is a WASI command. */
  static boolean detectWasiCap(ModuleShape shape) {
    return shape.isWasiCommand();
  }

  /** Refuses, with a message naming what is missing, a module that cannot work under this ABI. */
  void check(ModuleShape shape, String functionName);

  /**
   * Runs one invocation on {@code instance} (bound for the call, unbound after) and returns the
   * function's output.
   *
   * @param input  the JSON-serialised args, UTF-8
   * @param caller whom the guest may call through {@code wasmengine.call}
   */
  byte[] invoke(GuestInstance instance, String functionName, byte[] input, GuestLimits limits, FunctionCaller caller);
}
