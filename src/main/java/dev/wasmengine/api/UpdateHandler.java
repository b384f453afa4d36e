package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionNames;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /function/update}: re-pulls the function's image (or the one named) and swaps it
 * in atomically; answers the new record. The registry verticle validates the other fields.
 */
final class UpdateHandler implements Handler<RoutingContext> {
  private final BusForwarding registry;

  UpdateHandler(BusForwarding registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx);
    FunctionNames.require(body);
    registry.forward(ctx, Addresses.UPDATE, body);
  }
}
