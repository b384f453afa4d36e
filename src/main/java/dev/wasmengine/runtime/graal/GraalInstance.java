package dev.wasmengine.runtime.graal;

import dev.wasmengine.error.DeadlineExceededException;
import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.BoundInstance;
import dev.wasmengine.runtime.HostImports;
import dev.wasmengine.runtime.ModuleShape;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * One GraalWasm instance and the Context it lives in; closing it closes the Context. A deadline
 * stops it by cancelling the Context from another thread, which GraalWasm allows.
 */
final class GraalInstance extends BoundInstance {
  private static final String MEMORY = "memory";

  private final Context context;
  private final Value exports;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean interrupted;

  GraalInstance(Context context, Value exports, HostImports imports) {
    super(imports);
    this.context = context;
    this.exports = exports;
  }




  @Override
  public void interrupt() {
    interrupted = true;
    close();
  }

  @Override
  public int memoryPages() {
    return (int) (memory().getBufferSize() / (64 * 1024));
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
      throw interrupted ? new DeadlineExceededException("guest execution was stopped") : GraalTraps.translate(e);
    } catch (IllegalStateException e) {
      // The context was closed under the call: the deadline's doing.
      if (interrupted) {
        throw new DeadlineExceededException("guest execution was stopped");
      }
      throw e;
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
    return new GraalMemory(memory()).read(address, length);
  }

  @Override
  public void writeMemory(int address, byte[] bytes) {
    new GraalMemory(memory()).write(address, bytes);
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
    if (closed.compareAndSet(false, true)) {
      // close(true): cancels a running call, and does not rethrow a WASI exit as close() would.
      context.close(true);
    }
  }

  private Value memory() {
    Value memory = exports.getMember(MEMORY);
    if (memory == null || !memory.hasBufferElements()) {
      throw new LinkException("module exports no memory named \"memory\"");
    }
    return memory;
  }

}
