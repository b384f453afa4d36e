package dev.wasmengine.runtime.wasi;

/**
 * Thrown by {@link WasiHost#invoke} when the guest calls {@code proc_exit}: the guest's run is
 * over and nothing after the import call may execute. Runtime adapters let it unwind the guest
 * (or find it again as the cause of their runtime's exception) and report {@link #code()} as the
 * command's exit status. It carries no stack trace: it is control flow, not a fault.
 */
public final class WasiExit extends RuntimeException {
  private final int code;

  public WasiExit(int code) {
    super("guest called proc_exit(" + code + ")", null, false, false);
    this.code = code;
  }

  /** The exit status the guest passed (a u32 in WASI, kept as the int it was called with). */
  public int code() {
    return code;
  }
}
