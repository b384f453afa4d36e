package dev.wasmengine.error;

/** The bytes are not a WebAssembly binary module. */
public final class MalformedModuleException extends EngineException {
  public MalformedModuleException(String message) {
    super(message);
  }

  public MalformedModuleException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.MALFORMED_MODULE;
  }
}
