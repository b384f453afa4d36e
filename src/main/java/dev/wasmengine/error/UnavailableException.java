package dev.wasmengine.error;

/** No worker can take the invocation right now. */
public final class UnavailableException extends EngineException {
  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.UNAVAILABLE;
  }
}
