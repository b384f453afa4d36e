package dev.wasmengine.error;

/** A request is malformed or misses a field; the message names the field. */
public final class BadRequestException extends EngineException {
  public BadRequestException(String message) {
    super(message);
  }

  public BadRequestException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.BAD_REQUEST;
  }
}
