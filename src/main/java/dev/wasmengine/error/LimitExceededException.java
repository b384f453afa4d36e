package dev.wasmengine.error;

/** An input or output is larger than its configured limit. */
public final class LimitExceededException extends EngineException {
  public LimitExceededException(String message) {
    super(message);
  }

  public LimitExceededException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.LIMIT;
  }
}
