package dev.wasmengine.runtime;

import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.MalformedModuleException;
import java.io.ByteArrayOutputStream;

/**
 * Caps a module's linear memory by rewriting the maximum in its memory section, so that
 * {@code memory.grow} past the ceiling fails exactly as the spec says (it returns -1) on every
 * runtime, without runtime-specific hooks. A module that needs more than the ceiling at start
 * is refused.
 */
public final class MemoryCeiling {
  private static final int MEMORY_SECTION = 5;
  private static final int HEADER = 8;

  private MemoryCeiling() {}

  /** The module with every defined memory's maximum lowered to at most {@code maxPages}. */
  public static byte[] apply(byte[] module, int maxPages) {
    if (module.length < HEADER) {
      throw new MalformedModuleException("not a WebAssembly module: too short");
    }
    int position = HEADER;
    while (position < module.length) {
      int id = module[position] & 0xff;
      long[] size = leb(module, position + 1);
      int payload = (int) size[1];
      int end = payload + (int) size[0];
      if (end > module.length || end < payload) {
        throw new MalformedModuleException("not a WebAssembly module: section " + id + " overruns the file");
      }
      if (id == MEMORY_SECTION) {
        byte[] capped = capMemories(module, payload, end, maxPages);
        ByteArrayOutputStream out = new ByteArrayOutputStream(module.length + 8);
        out.write(module, 0, position + 1);
        writeLeb(out, capped.length);
        out.write(capped, 0, capped.length);
        out.write(module, end, module.length - end);
        return out.toByteArray();
      }
      position = end;
    }
    return module;
  }

  private static byte[] capMemories(byte[] module, int start, int end, int maxPages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] count = leb(module, start);
    writeLeb(out, count[0]);
    int position = (int) count[1];
    for (long i = 0; i < count[0]; i++) {
      int flags = module[position++] & 0xff;
      if (flags > 1) {
        throw new InvalidModuleException("memory " + i + " has limits flags 0x" + Integer.toHexString(flags)
            + " (shared or 64-bit memory), which the engine does not support");
      }
      long[] initial = leb(module, position);
      position = (int) initial[1];
      long maximum = maxPages;
      if (flags == 1) {
        long[] declared = leb(module, position);
        position = (int) declared[1];
        maximum = Math.min(declared[0], maxPages);
      }
      if (initial[0] > maxPages) {
        throw new InvalidModuleException("module needs " + initial[0] + " pages of memory at start; the limit is "
            + maxPages + " pages");
      }
      out.write(1);
      writeLeb(out, initial[0]);
      writeLeb(out, maximum);
    }
    if (position != end) {
      throw new MalformedModuleException("not a WebAssembly module: memory section size mismatch");
    }
    return out.toByteArray();
  }

  /** Reads an unsigned LEB128 (up to 32 bits) at {@code offset}; returns {value, next offset}. */
  private static long[] leb(byte[] bytes, int offset) {
    long value = 0;
    int shift = 0;
    int position = offset;
    while (true) {
      if (position >= bytes.length || shift > 28) {
        throw new MalformedModuleException("not a WebAssembly module: bad LEB128 at offset " + offset);
      }
      int b = bytes[position++] & 0xff;
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return new long[] {value, position};
      }
      shift += 7;
    }
  }

  private static void writeLeb(ByteArrayOutputStream out, long value) {
    long rest = value;
    do {
      int b = (int) (rest & 0x7f);
      rest >>>= 7;
      out.write(rest != 0 ? b | 0x80 : b);
    } while (rest != 0);
  }
}
