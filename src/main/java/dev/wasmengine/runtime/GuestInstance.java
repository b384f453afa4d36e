package dev.wasmengine.runtime;

/**
 * One instance of a module: its memory, globals and exports, and its host imports. Made ahead
 * of time (pooled); each call binds its {@link HostContext} first and unbinds it after. Used by
 * one thread at a time, except {@link #interrupt()}. Guest failures surface as engine
 * exceptions; nothing thrown by the guest (stack exhaustion included) escapes as anything else.
 */
public interface GuestInstance extends AutoCloseable {

  /** Gives the host functions what this call grants (WASI args and streams, callees). */
  void bind(HostContext context);

  void unbind();

  /** How many calls have been bound to this instance so far (1 during its first call). */
  int calls();

  /** Calls an exported function with i32/i64 arguments; returns all its results. */
  long[] call(String export, long... args);

  /** Reads an exported i32 global, such as {@code __heap_base}. */
  int globalI32(String name);

  /** The size of the exported memory in 64 KiB pages. */
  int memoryPages();

  /** Grows the exported memory; returns the previous size in pages, or -1 if it cannot grow. */
  int growMemory(int pages);

  byte[] readMemory(int address, int length);

  void writeMemory(int address, byte[] bytes);

  /** Runs the WASI command's {@code _start}; returns its exit status (0 when it simply returns). */
  int runCommand();

  /**
   * Stops the call running on this instance, from another thread (its deadline passed). The call
   * fails with a {@link dev.wasmengine.error.DeadlineExceededException}; the instance is then
   * only fit to be closed. Does nothing when no call is running.
   */
  void interrupt();

  @Override
  void close();
}
