package dev.wasmengine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * A guest's stdout or stderr: keeps the first {@code limit} bytes and remembers whether more
 * were written, so a chatty guest cannot exhaust host memory.
 */
public final class CapturedOutput extends OutputStream {
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final int limit;
  private boolean overflowed;

  public CapturedOutput(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int room = limit - kept.size();
    if (length > room) {
      overflowed = true;
    }
    kept.write(bytes, offset, Math.max(0, Math.min(length, room)));
  }

  public synchronized boolean overflowed() {
    return overflowed;
  }

  public synchronized byte[] bytes() {
    return kept.toByteArray();
  }
}
