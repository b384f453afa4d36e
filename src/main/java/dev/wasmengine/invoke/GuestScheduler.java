package dev.wasmengine.invoke;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * Where guest code and instantiation run, never on an event loop: a fixed pool of platform
 * threads (Vert.x named worker pool, blocked-thread checks included) or a virtual thread per
 * task. Results come back on the calling verticle's context.
 */
interface GuestScheduler extends AutoCloseable {

  <T> Future<T> run(Callable<T> task);

  @Override
  void close();

  static GuestScheduler workers(WorkerExecutor pool) {
    return new GuestScheduler() {
      @Override
      public <T> Future<T> run(Callable<T> task) {
        return pool.executeBlocking(task, false);
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }

  /**
   * A virtual thread per task. Also used, whatever the configured scheduler, for nested
   * function-to-function calls: their callers wait on their own threads, and a fixed pool
   * could run out of threads to answer them.
   */
  static GuestScheduler virtual(ExecutorService virtualThreads) {
    return new GuestScheduler() {
      @Override
      public <T> Future<T> run(Callable<T> task) {
        Context context = io.vertx.core.Vertx.currentContext();
        Promise<T> promise = Promise.promise();
        virtualThreads.execute(() -> {
          try {
            T result = task.call();
            context.runOnContext(done -> promise.complete(result));
          } catch (Throwable failure) {
            context.runOnContext(done -> promise.fail(failure));
          }
        });
        return promise.future();
      }

      @Override
      public void close() {
        virtualThreads.close();
      }
    };
  }
}
