package dev.wasmengine.runtime;

/**
 * One instance of a module: its memory, globals and exports. Used by one thread at a time.
 * Guest failures surface as {@link dev.wasmengine.error.TrapException}; nothing thrown by the
 * guest (including stack exhaustion) escapes as anything else.
 */
public interface GuestInstance extends AutoCloseable {

  /** Calls an exported function with i32/i64 arguments; returns all its results. */
  long[] call(String export, long... args);

  /** Reads an exported i32 global, such as {@code __heap_base}. */
  int globalI32(String name);

  /** Grows the exported memory; returns the previous size in pages, or -1 if it cannot grow. */
  int growMemory(int pages);

  byte[] readMemory(int address, int length);

  void writeMemory(int address, byte[] bytes);

  /** Runs the WASI command's {@code _start}; returns its exit status (0 when it simply returns). */
  int runCommand();

  @Override
  void close();
}
