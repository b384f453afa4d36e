package dev.wasmengine.runtime.graal;

import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/** One GraalWasm instance and the Context it lives in; closing it closes the Context. */
final class GraalInstance implements GuestInstance {
  private static final String MEMORY = "memory";

  private final Context context;
  private final Value exports;

  GraalInstance(Context context, Value exports) {
    this.context = context;
    this.exports = exports;
  }

  @Override
  public long[] call(String export, long... args) {
    try {
      return execute(export, args);
    } catch (GraalTraps.GuestExit exit) {
      throw new GuestExitException("function called exit(" + exit.status() + ") instead of returning");
    }
  }

  private long[] execute(String export, long... args) {
    Value function = exports.getMember(export);
    if (function == null || !function.canExecute()) {
      throw new LinkException("module exports no function named " + export);
    }
    Object[] arguments = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      arguments[i] = (int) args[i];
    }
    Value result;
    try {
      result = function.execute(arguments);
    } catch (PolyglotException e) {
      throw GraalTraps.translate(e);
    } catch (StackOverflowError e) {
      throw new TrapException("call stack exhausted");
    }
    return results(result);
  }

  /** A void result, one number, or an array of them (multi-value), as longs. */
  private static long[] results(Value result) {
    if (result == null || result.isNull() || (!result.isNumber() && !result.hasArrayElements())) {
      return new long[0];
    }
    if (result.isNumber()) {
      return new long[] {result.asLong()};
    }
    long[] values = new long[(int) result.getArraySize()];
    for (int i = 0; i < values.length; i++) {
      values[i] = result.getArrayElement(i).asLong();
    }
    return values;
  }

  @Override
  public int globalI32(String name) {
    Value global = exports.getMember(name);
    if (global == null || !global.hasMember("value")) {
      throw new LinkException("module exports no global " + name);
    }
    return global.getMember("value").asInt();
  }

  @Override
  public int growMemory(int pages) {
    Value webAssembly = context.getPolyglotBindings().getMember("WebAssembly");
    try {
      return webAssembly.getMember("mem_grow").execute(memory(), pages).asInt();
    } catch (PolyglotException e) {
      return -1;  // beyond the memory's maximum: what memory.grow itself answers
    }
  }

  @Override
  public byte[] readMemory(int address, int length) {
    Value memory = memory();
    checkBounds(memory, address, length);
    byte[] bytes = new byte[length];
    memory.readBuffer(Integer.toUnsignedLong(address), bytes, 0, length);
    return bytes;
  }

  /** GraalWasm 25 has no bulk buffer write; eight bytes at a time is the fastest it offers. */
  @Override
  public void writeMemory(int address, byte[] bytes) {
    Value memory = memory();
    checkBounds(memory, address, bytes.length);
    long base = Integer.toUnsignedLong(address);
    ByteBuffer source = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      memory.writeBufferLong(ByteOrder.LITTLE_ENDIAN, base + i, source.getLong(i));
    }
    for (; i < bytes.length; i++) {
      memory.writeBufferByte(base + i, bytes[i]);
    }
  }

  @Override
  public int runCommand() {
    try {
      execute(ModuleShape.START);
      return 0;
    } catch (GraalTraps.GuestExit exit) {
      return exit.status();
    }
  }

  @Override
  public void close() {
    // close(true): after a WASI exit, a plain close() rethrows the exit.
    context.close(true);
  }

  private Value memory() {
    Value memory = exports.getMember(MEMORY);
    if (memory == null || !memory.hasBufferElements()) {
      throw new LinkException("module exports no memory named \"memory\"");
    }
    return memory;
  }

  private static void checkBounds(Value memory, int address, int length) {
    long start = Integer.toUnsignedLong(address);
    if (length < 0 || start + length > memory.getBufferSize()) {
      throw new TrapException("memory access [" + start + ", " + (start + length) + ") is outside guest memory of "
          + memory.getBufferSize() + " bytes");
    }
  }
}
