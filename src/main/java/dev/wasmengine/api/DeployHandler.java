package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.registry.DeployRequest;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /function/deploy}: answers the stored function record once it is durable. */
final class DeployHandler implements Handler<RoutingContext> {
  private final BusForwarding registry;

  DeployHandler(BusForwarding registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    DeployRequest request = DeployRequest.fromJson(RequestBodies.object(ctx));
    registry.forward(ctx, Addresses.DEPLOY, request.toJson());
  }
}
