package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionNames;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /function/delete}: answers the record of the function it removed. */
final class DeleteHandler implements Handler<RoutingContext> {
  private final BusForwarding registry;

  DeleteHandler(BusForwarding registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String name = FunctionNames.require(RequestBodies.object(ctx));
    registry.forward(ctx, Addresses.DELETE, new JsonObject().put("function_name", name));
  }
}
