package dev.wasmengine.registry.oci;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** Where a registry response body goes; abandoned when the request fails half-way. */
interface BodySink extends WriteStream<Buffer> {
  /** Releases what the sink holds (an open file) after a failed request. */
  default Future<Void> abandon() {
    return Future.succeededFuture();
  }
}
