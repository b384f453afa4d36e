package dev.wasmengine.error;

/** A well-formed module fails validation or does not fit the ABI it is deployed under. */
public final class InvalidModuleException extends EngineException {
  public InvalidModuleException(String message) {
    super(message);
  }

  public InvalidModuleException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INVALID_MODULE;
  }
}
