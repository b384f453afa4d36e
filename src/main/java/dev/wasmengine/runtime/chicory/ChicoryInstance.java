package dev.wasmengine.runtime.chicory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.runtime.BoundInstance;
import dev.wasmengine.runtime.HostImports;
import dev.wasmengine.runtime.ModuleShape;
import dev.wasmengine.runtime.wasi.WasiExit;

/**
 * One Chicory instance; every Chicory failure leaves here as an engine exception. A deadline
 * stops it by interrupting the thread running it (Chicory checks the interrupt flag on calls
 * and loop back-edges); a lock makes sure no interrupt can reach that thread after the call.
 */
final class ChicoryInstance extends BoundInstance {
  private static final long[] NO_RESULTS = new long[0];

  private final Instance instance;
  private final Object running = new Object();
  private Thread runner;
  private boolean interrupted;

  ChicoryInstance(Instance instance, HostImports imports) {
    super(imports);
    this.instance = instance;
  }




  @Override
  public long[] call(String export, long... args) {
    try {
      return execute(export, args);
    } catch (WasiExit exit) {
      throw new GuestExitException("function called exit(" + exit.code() + ") instead of returning");
    }
  }

  private long[] execute(String export, long... args) {
    begin();
    try {
      long[] results = instance.export(export).apply(args);
      return results == null ? NO_RESULTS : results;
    } catch (ChicoryException | StackOverflowError e) {
      throw ChicoryTraps.translate(e, wasInterrupted());
    } finally {
      end();
    }
  }

  private void begin() {
    synchronized (running) {
      runner = Thread.currentThread();
    }
  }

  private void end() {
    synchronized (running) {
      runner = null;
      // Clear a deadline's interrupt that arrived after the guest's last check, so the pooled
      // thread does not carry it into its next task.
      Thread.interrupted();
    }
  }

  private boolean wasInterrupted() {
    synchronized (running) {
      return interrupted;
    }
  }

  @Override
  public void interrupt() {
    synchronized (running) {
      interrupted = true;
      if (runner != null) {
        runner.interrupt();
      }
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
  public int memoryPages() {
    return instance.memory().pages();
  }

  @Override
  public int growMemory(int pages) {
    return instance.memory().grow(pages);
  }

  @Override
  public byte[] readMemory(int address, int length) {
    return new ChicoryMemory(instance.memory()).read(address, length);
  }

  @Override
  public void writeMemory(int address, byte[] bytes) {
    new ChicoryMemory(instance.memory()).write(address, bytes);
  }

  @Override
  public int runCommand() {
    try {
      execute(ModuleShape.START);
      return 0;
    } catch (WasiExit exit) {
      return exit.code();
    }
  }

  @Override
  public void close() {
    // A Chicory instance holds only heap objects: nothing to release but references.
  }
}
