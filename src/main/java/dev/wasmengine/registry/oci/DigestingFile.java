package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadImageException;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Streams a blob to a file while hashing it. Stops the transfer as soon as more arrives than the
 * declared size allows (plus a little room for an error body, whose status is only known once
 * the body is in), and {@link #verify()} checks size and sha256 against the descriptor after a
 * 200. The caller deletes the file when anything fails; nothing unverified is ever used.
 */
final class DigestingFile implements BodySink {
  private final AsyncFile file;
  private final Descriptor expected;
  private final long hardLimit;
  private final MessageDigest sha256 = ModuleDigest.sha256();
  private final LongConsumer progress;
  private long written;

  DigestingFile(AsyncFile file, Descriptor expected, long hardLimit, LongConsumer progress) {
    this.file = file;
    this.expected = expected;
    this.hardLimit = hardLimit;
    this.progress = progress;
  }

  @Override
  public Future<Void> write(Buffer data) {
    written += data.length();
    if (written > hardLimit) {
      return Future.failedFuture(mismatch("is larger than its declared " + expected.size() + " bytes"));
    }
    sha256.update(data.getBytes());
    progress.accept(written);
    return file.write(data);
  }

  @Override
  public Future<Void> end() {
    return file.end();
  }

  /** Closes the file unless the body pipe already did (it closes on a broken response). */
  @Override
  public Future<Void> abandon() {
    try {
      return file.close().recover(alreadyClosed -> Future.succeededFuture());
    } catch (IllegalStateException alreadyClosed) {
      return Future.succeededFuture();
    }
  }

  /** After a 200: the content is exactly the blob the descriptor names. */
  Future<Void> verify() {
    if (written != expected.size()) {
      return Future.failedFuture(mismatch("has " + written + " bytes, not the declared " + expected.size()));
    }
    String actual = HexFormat.of().formatHex(sha256.digest());
    if (!actual.equals(expected.digest().hex())) {
      return Future.failedFuture(mismatch("hashes to sha256:" + actual));
    }
    return Future.succeededFuture();
  }

  private BadImageException mismatch(String detail) {
    return new BadImageException("blob " + expected.digest() + " does not match its digest or size: it " + detail);
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    file.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    file.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return file.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    file.drainHandler(handler);
    return this;
  }
}
