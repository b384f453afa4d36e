package dev.wasmengine.runtime;

/**
 * How a call reaches a guest and its answer comes back. The original WasmEngine had two:
 * {@link ExportAbi} (ABI 1, {@code wasi_cap=false}) and {@link CommandAbi} (ABI 2); functions
 * deployed through the OpenFaaS API are CGI-style {@link HttpAbi} commands by default.
 */
public sealed interface FunctionAbi permits ExportAbi, CommandAbi, HttpAbi {

  static FunctionAbi of(FunctionKind kind) {
    return switch (kind) {
      case EXPORT -> ExportAbi.INSTANCE;
      case COMMAND -> CommandAbi.INSTANCE;
      case HTTP -> HttpAbi.INSTANCE;
    };
  }

  /**
   * The kind of a deploy that did not name one: ABI 1 unless the module is a WASI command, which
   * then gets the deploying API's own convention ({@code wasiKind}).
   */
  static FunctionKind detect(ModuleShape shape, FunctionKind wasiKind) {
    return shape.isWasiCommand() ? wasiKind : FunctionKind.EXPORT;
  }

  /** Refuses, with a message naming what is missing, a module that cannot work under this ABI. */
  void check(ModuleShape shape, String functionName);

  /**
   * Runs one call on {@code instance} (bound for the call, unbound after) and returns the answer.
   *
   * @param grant  what the function's deployment lets its guest see (env, secret files)
   * @param caller whom the guest may call through {@code wasmengine.call}
   */
  GuestResponse invoke(GuestInstance instance, String functionName, GuestRequest request, FunctionGrant grant,
      GuestLimits limits, FunctionCaller caller);
}
