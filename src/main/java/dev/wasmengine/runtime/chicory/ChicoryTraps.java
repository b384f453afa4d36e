package dev.wasmengine.runtime.chicory;

import com.dylibso.chicory.wasi.WasiExitException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.TrapException;

/** Chicory's runtime failures, as the engine reports them. */
final class ChicoryTraps {
  private ChicoryTraps() {}

  static RuntimeException translate(Throwable failure) {
    if (failure instanceof WasiExitException exit) {
      return exit;  // not a trap: the command chose to exit; runCommand() reads its status
    }
    if (failure instanceof EngineException engineFailure) {
      return engineFailure;
    }
    if (failure instanceof StackOverflowError) {
      return new TrapException("call stack exhausted");
    }
    String message = failure.getMessage();
    return new TrapException(message == null ? failure.getClass().getSimpleName() : message);
  }
}
