package dev.wasmengine.error;

/** A function's or the engine's queue is full: the call was refused at once, nothing was queued. */
public final class OverloadedException extends EngineException {
  public OverloadedException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.OVERLOADED;
  }
}
