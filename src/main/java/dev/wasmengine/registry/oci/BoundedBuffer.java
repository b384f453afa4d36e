package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadImageException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Collects a small response body (a manifest, a token, an error) in memory, refusing more than
 * {@code limit} bytes as they arrive, so a registry cannot make the engine buffer without bound.
 */
final class BoundedBuffer implements BodySink {
  private final Buffer collected = Buffer.buffer();
  private final long limit;
  private final String what;

  BoundedBuffer(long limit, String what) {
    this.limit = limit;
    this.what = what;
  }

  Buffer collected() {
    return collected;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (collected.length() + (long) data.length() > limit) {
      return Future.failedFuture(new BadImageException(what + " is larger than " + limit + " bytes; refused"));
    }
    collected.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
