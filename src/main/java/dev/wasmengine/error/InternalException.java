package dev.wasmengine.error;

/** A bug or an I/O failure of the engine itself; callers see only a generic message. */
public final class InternalException extends EngineException {
  public InternalException(String message) {
    super(message);
  }

  public InternalException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INTERNAL;
  }
}
