package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionNames;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /function/query}: answers one function's record, 404 when unknown. */
final class QueryHandler implements Handler<RoutingContext> {
  private final BusForwarding registry;

  QueryHandler(BusForwarding registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String name = FunctionNames.require(RequestBodies.object(ctx));
    registry.forward(ctx, Addresses.QUERY, new JsonObject().put("function_name", name));
  }
}
