package dev.wasmengine.runtime.chicory;

import dev.wasmengine.error.DeadlineExceededException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.wasi.WasiExit;

/** Chicory's runtime failures, as the engine reports them. */
final class ChicoryTraps {
  private ChicoryTraps() {}

  static RuntimeException translate(Throwable failure) {
    return translate(failure, false);
  }

  /** @param interrupted whether the engine stopped the guest (its deadline passed) */
  static RuntimeException translate(Throwable failure, boolean interrupted) {
    Throwable cause = failure;
    // Host functions (WASI, wasmengine) throw through Chicory, sometimes wrapped.
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WasiExit exit) {
        return exit;  // not a trap: the command chose to exit; runCommand() reads its status
      }
      if (t instanceof EngineException engineFailure) {
        cause = engineFailure;
      }
    }
    if (interrupted || failure.getClass().getSimpleName().equals("ChicoryInterruptedException")) {
      return new DeadlineExceededException("guest execution was stopped");
    }
    if (cause instanceof EngineException engineFailure) {
      return engineFailure;
    }
    if (failure instanceof StackOverflowError) {
      return new TrapException("call stack exhausted");
    }
    String message = failure.getMessage();
    return new TrapException(message == null ? failure.getClass().getSimpleName() : message);
  }
}
