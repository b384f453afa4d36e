package dev.wasmengine.invoke;

import io.vertx.core.eventbus.Message;

/** A call accepted by a shard, running or waiting for an instance. */
record PendingCall(Invocation invocation, Message<Object> message, long acceptedNanos, long expiresNanos) {
  boolean expired(long nowNanos) {
    return nowNanos - expiresNanos > 0;
  }
}
