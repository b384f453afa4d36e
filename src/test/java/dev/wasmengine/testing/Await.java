package dev.wasmengine.testing;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a future from a test thread, bounded, so a broken engine fails a test instead of hanging it. */
public final class Await {
  private static final long SECONDS = 120;

  private Await() {}

  public static <T> T result(Future<T> future) {
    try {
      return future.await(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + SECONDS + " s", e);
    }
  }
}
