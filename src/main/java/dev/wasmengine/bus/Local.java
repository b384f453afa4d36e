package dev.wasmengine.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Delivery to this node's own consumers. On a clustered event bus every other send first asks
 * the cluster where its address is consumed; the engine's own addresses are consumed on every
 * node, so its messages skip that lookup, and two of them sent in order arrive in order.
 */
public final class Local {
  private Local() {}

  public static DeliveryOptions delivery() {
    return new DeliveryOptions().setLocalOnly(true);
  }

  public static DeliveryOptions delivery(long timeoutMillis) {
    return delivery().setSendTimeout(timeoutMillis);
  }
}
