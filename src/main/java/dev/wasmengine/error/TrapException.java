package dev.wasmengine.error;

/** The guest trapped (unreachable, out-of-bounds access, stack exhausted...). */
public final class TrapException extends EngineException {
  public TrapException(String message) {
    super(message);
  }

  public TrapException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.TRAP;
  }
}
