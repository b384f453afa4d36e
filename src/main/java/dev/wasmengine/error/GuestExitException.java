package dev.wasmengine.error;

/** A WASI command exited with a non-zero status. */
public final class GuestExitException extends EngineException {
  public GuestExitException(String message) {
    super(message);
  }

  public GuestExitException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.GUEST_EXIT;
  }
}
