package dev.wasmengine.runtime.chicory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleShape;

/** One Chicory instance; every Chicory failure leaves here as an engine exception. */
final class ChicoryInstance implements GuestInstance {
  private static final long[] NO_RESULTS = new long[0];

  private final Instance instance;
  private final WasiPreview1 wasiHost;

  ChicoryInstance(Instance instance, WasiPreview1 wasiHost) {
    this.instance = instance;
    this.wasiHost = wasiHost;
  }

  @Override
  public long[] call(String export, long... args) {
    try {
      return execute(export, args);
    } catch (WasiExitException exit) {
      throw new GuestExitException("function called exit(" + exit.exitCode() + ") instead of returning");
    }
  }

  private long[] execute(String export, long... args) {
    try {
      long[] results = instance.export(export).apply(args);
      return results == null ? NO_RESULTS : results;
    } catch (ChicoryException | StackOverflowError e) {
      throw ChicoryTraps.translate(e);
    }
  }

  @Override
  public int globalI32(String name) {
    try {
      return (int) instance.exports().global(name).getValue();
    } catch (ChicoryException e) {
      throw new LinkException("module exports no global " + name);
    }
  }

  @Override
  public int growMemory(int pages) {
    return instance.memory().grow(pages);
  }

  @Override
  public byte[] readMemory(int address, int length) {
    try {
      return instance.memory().readBytes(address, length);
    } catch (ChicoryException e) {
      throw ChicoryTraps.translate(e);
    }
  }

  @Override
  public void writeMemory(int address, byte[] bytes) {
    try {
      instance.memory().write(address, bytes);
    } catch (ChicoryException e) {
      throw ChicoryTraps.translate(e);
    }
  }

  @Override
  public int runCommand() {
    try {
      execute(ModuleShape.START);
      return 0;
    } catch (WasiExitException e) {
      return e.exitCode();
    }
  }

  @Override
  public void close() {
    if (wasiHost != null) {
      wasiHost.close();
    }
  }
}
