package dev.wasmengine.runtime.graal;

import dev.wasmengine.error.DeadlineExceededException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.wasi.WasiExit;
import org.graalvm.polyglot.PolyglotException;

/** GraalWasm's polyglot exceptions, as the engine reports them. */
final class GraalTraps {
  private GraalTraps() {}

  /** A WASI command called proc_exit; not a failure by itself, its status decides. */
  static final class GuestExit extends RuntimeException {
    private final int status;

    GuestExit(int status) {
      super("exit " + status, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  static RuntimeException translate(PolyglotException e) {
    if (e.isExit()) {
      return new GuestExit(e.getExitStatus());
    }
    if (e.isInterrupted() || e.isCancelled()) {
      return new DeadlineExceededException("guest execution was stopped");
    }
    if (e.isSyntaxError()) {
      return new InvalidModuleException("GraalWasm rejects the module: " + e.getMessage());
    }
    if (e.isHostException()) {
      Throwable host = e.asHostException();
      if (host instanceof WasiExit exit) {
        return new GuestExit(exit.code());
      }
      if (host instanceof EngineException engineFailure) {
        return engineFailure;
      }
      // Our own host code failed underneath the guest: not the guest's fault, and not for callers to read.
      throw new IllegalStateException("host failure inside a guest call", host);
    }
    return new TrapException(e.getMessage() == null ? "guest trapped" : e.getMessage());
  }
}
