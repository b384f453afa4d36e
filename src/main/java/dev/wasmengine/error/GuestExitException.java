package dev.wasmengine.error;

/** A WASI command exited with a non-zero status. */
public final class GuestExitException extends EngineException {
  /** What the guest wrote to stderr before it exited; stays on this node (the message quotes its tail). */
  private final transient byte[] stderr;

  public GuestExitException(String message) {
    this(message, new byte[0]);
  }

  public GuestExitException(String message, byte[] stderr) {
    super(message);
    this.stderr = stderr.clone();
  }

  public GuestExitException(String message, Throwable cause) {
    super(message, cause);
    this.stderr = new byte[0];
  }

  public byte[] stderr() {
    return stderr.clone();
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.GUEST_EXIT;
  }
}
