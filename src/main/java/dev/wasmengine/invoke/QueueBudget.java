package dev.wasmengine.invoke;

import java.util.concurrent.atomic.AtomicInteger;

/** The engine-wide bound on waiting calls, shared by the invoker shards (lock-free). */
public final class QueueBudget {
  private final int limit;
  private final AtomicInteger used = new AtomicInteger();

  public QueueBudget(int limit) {
    this.limit = limit;
  }

  boolean tryTake() {
    if (used.incrementAndGet() <= limit) {
      return true;
    }
    used.decrementAndGet();
    return false;
  }

  void giveBack() {
    used.decrementAndGet();
  }

  public int limit() {
    return limit;
  }

  /** Calls waiting now, engine-wide. */
  public int waiting() {
    return Math.max(0, used.get());
  }
}
