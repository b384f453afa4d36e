package dev.wasmengine.runtime.wasi;

/**
 * A guest's linear memory, as {@link WasiHost} sees it during one host call. Each runtime
 * adapter implements it over its own memory object (memory 0, the one WASI uses).
 *
 * <p>Addresses are wasm {@code u32} pointers carried in an {@code int}: a negative int is an
 * address at or above 2 GiB, not an error in itself. Multi-byte values are little-endian, as in
 * wasm. Implementations check the whole range {@code [address, address + length)}, computed
 * without overflow, before touching or allocating anything, and throw
 * {@link dev.wasmengine.error.TrapException} when any of it lies outside the memory; they never
 * throw anything else for a bad address. {@link WasiHost} turns that into {@code EFAULT}.
 * {@code length} is never negative when {@link WasiHost} calls.
 */
public interface GuestMemory {

  /** Copies {@code length} bytes starting at {@code address} out of guest memory. */
  byte[] read(int address, int length);

  /** Copies all of {@code bytes} into guest memory at {@code address}. */
  void write(int address, byte[] bytes);

  /** Reads a little-endian i32. */
  int readInt(int address);

  /** Writes a little-endian i32. */
  void writeInt(int address, int value);

  /** Writes a little-endian i64. */
  void writeLong(int address, long value);

  /** Writes a little-endian i16. */
  void writeShort(int address, short value);

  void writeByte(int address, byte value);
}
