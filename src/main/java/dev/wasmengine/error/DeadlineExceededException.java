package dev.wasmengine.error;

/** The invocation did not finish before its deadline. */
public final class DeadlineExceededException extends EngineException {
  public DeadlineExceededException(String message) {
    super(message);
  }

  public DeadlineExceededException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.TIMEOUT;
  }
}
