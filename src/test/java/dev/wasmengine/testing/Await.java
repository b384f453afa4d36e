package dev.wasmengine.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeoutException;

/** Waits for a future from a test thread, bounded, so a broken engine fails a test instead of hanging it. */
public final class Await {
  private static final long SECONDS = 120;

  private Await() {}

  /** Polls between attempts of {@link #eventually}; bounded in count as well as in time. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int MAX_POLLS = 100_000;

  /**
   * Retries {@code assertion} until it passes; fails with its last failure after {@code within}
   * or {@link #MAX_POLLS} attempts, whichever comes first.
   */
  public static void eventually(String what, Duration within, Runnable assertion) {
    long deadline = System.nanoTime() + within.toNanos();
    AssertionError last = null;
    for (int attempt = 0; attempt < MAX_POLLS; attempt++) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        break;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    throw new AssertionError(what + " did not happen within " + within + "; last: "
        + (last == null ? "no attempt" : last.getMessage()), last);
  }

  public static <T> T result(Future<T> future) {
    try {
      return future.await(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + SECONDS + " s", e);
    }
  }
}
