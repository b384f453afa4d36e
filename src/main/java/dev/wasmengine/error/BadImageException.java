package dev.wasmengine.error;

/** An image reference or image content is unusable (no module, two modules, bad layout). */
public final class BadImageException extends EngineException {
  public BadImageException(String message) {
    super(message);
  }

  public BadImageException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.BAD_IMAGE;
  }
}
