package dev.wasmengine.error;

/** A module imports something the engine does not provide to it. */
public final class LinkException extends EngineException {
  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.LINK_ERROR;
  }
}
