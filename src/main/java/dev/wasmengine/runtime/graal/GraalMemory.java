package dev.wasmengine.runtime.graal;

import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.wasi.GuestMemory;
import java.nio.ByteOrder;
import org.graalvm.polyglot.Value;

/**
 * Host access to a GraalWasm memory through the polyglot buffer API; bounds are checked first.
 * GraalWasm 25 offers no bulk write, so bytes go eight at a time.
 */
final class GraalMemory implements GuestMemory {
  private final Value memory;

  GraalMemory(Value memory) {
    this.memory = memory;
  }

  private long check(int address, int length) {
    long start = Integer.toUnsignedLong(address);
    long size = memory.getBufferSize();
    if (length < 0 || start + length > size) {
      throw new TrapException("memory access [" + start + ", " + (start + length) + ") is outside guest memory of "
          + size + " bytes");
    }
    return start;
  }

  @Override
  public byte[] read(int address, int length) {
    long start = check(address, length);
    byte[] bytes = new byte[length];
    memory.readBuffer(start, bytes, 0, length);
    return bytes;
  }

  @Override
  public void write(int address, byte[] bytes) {
    long start = check(address, bytes.length);
    int i = 0;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      long value = 0;
      for (int b = Long.BYTES - 1; b >= 0; b--) {
        value = (value << 8) | (bytes[i + b] & 0xffL);
      }
      memory.writeBufferLong(ByteOrder.LITTLE_ENDIAN, start + i, value);
    }
    for (; i < bytes.length; i++) {
      memory.writeBufferByte(start + i, bytes[i]);
    }
  }

  @Override
  public int readInt(int address) {
    return memory.readBufferInt(ByteOrder.LITTLE_ENDIAN, check(address, Integer.BYTES));
  }

  @Override
  public void writeInt(int address, int value) {
    memory.writeBufferInt(ByteOrder.LITTLE_ENDIAN, check(address, Integer.BYTES), value);
  }

  @Override
  public void writeLong(int address, long value) {
    memory.writeBufferLong(ByteOrder.LITTLE_ENDIAN, check(address, Long.BYTES), value);
  }

  @Override
  public void writeShort(int address, short value) {
    memory.writeBufferShort(ByteOrder.LITTLE_ENDIAN, check(address, Short.BYTES), value);
  }

  @Override
  public void writeByte(int address, byte value) {
    memory.writeBufferByte(check(address, 1), value);
  }
}
