package dev.wasmengine.error;

/** The name is taken, or another change to it is in progress. */
public final class ConflictException extends EngineException {
  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.CONFLICT;
  }
}
