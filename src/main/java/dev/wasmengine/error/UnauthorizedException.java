package dev.wasmengine.error;

/** Credentials are missing or wrong. */
public final class UnauthorizedException extends EngineException {
  public UnauthorizedException(String message) {
    super(message);
  }

  public UnauthorizedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.UNAUTHORIZED;
  }
}
