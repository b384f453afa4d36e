package dev.wasmengine.error;

/** An image registry could not be reached, or kept failing, or its TLS certificate is not trusted. */
public final class RegistryUnavailableException extends EngineException {
  public RegistryUnavailableException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.REGISTRY_UNAVAILABLE;
  }
}
