package dev.wasmengine.runtime.chicory;

import com.dylibso.chicory.runtime.Memory;
import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.wasi.GuestMemory;

/** Host access to a Chicory instance's memory; every access is bounds-checked first. */
public final class ChicoryMemory implements GuestMemory {
  private final Memory memory;

  public ChicoryMemory(Memory memory) {
    this.memory = memory;
  }

  private void check(int address, int length) {
    long start = Integer.toUnsignedLong(address);
    long size = (long) memory.pages() * Memory.PAGE_SIZE;
    if (length < 0 || start + length > size) {
      throw new TrapException("memory access [" + start + ", " + (start + length) + ") is outside guest memory of "
          + size + " bytes");
    }
  }

  @Override
  public byte[] read(int address, int length) {
    check(address, length);
    return memory.readBytes(address, length);
  }

  @Override
  public void write(int address, byte[] bytes) {
    check(address, bytes.length);
    memory.write(address, bytes);
  }

  @Override
  public int readInt(int address) {
    check(address, Integer.BYTES);
    return memory.readInt(address);
  }

  @Override
  public void writeInt(int address, int value) {
    check(address, Integer.BYTES);
    memory.writeI32(address, value);
  }

  @Override
  public void writeLong(int address, long value) {
    check(address, Long.BYTES);
    memory.writeLong(address, value);
  }

  @Override
  public void writeShort(int address, short value) {
    check(address, Short.BYTES);
    memory.writeShort(address, value);
  }

  @Override
  public void writeByte(int address, byte value) {
    check(address, 1);
    memory.writeByte(address, value);
  }
}
