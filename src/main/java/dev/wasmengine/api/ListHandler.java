package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /function/list}: answers {@code {"functions": [record...]}} sorted by name. */
final class ListHandler implements Handler<RoutingContext> {
  private final BusForwarding registry;

  ListHandler(BusForwarding registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    registry.forward(ctx, Addresses.LIST, new JsonObject());
  }
}
