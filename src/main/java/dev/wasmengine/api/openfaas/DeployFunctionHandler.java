package dev.wasmengine.api.openfaas;

import dev.wasmengine.api.RequestBodies;
import dev.wasmengine.bus.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /system/functions} (deploy; 409 if it exists) and {@code PUT /system/functions}
 * (update; 404 if unknown, which faas-cli takes as the cue to POST). Both answer 202 once the
 * function is durable and warm, as the engine's own deploy does.
 */
final class DeployFunctionHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;
  private final boolean update;

  private DeployFunctionHandler(ProviderRequests provider, boolean update) {
    this.provider = provider;
    this.update = update;
  }

  static DeployFunctionHandler deploy(ProviderRequests provider) {
    return new DeployFunctionHandler(provider, false);
  }

  static DeployFunctionHandler update(ProviderRequests provider) {
    return new DeployFunctionHandler(provider, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject request = FunctionDeployment.toRegistryRequest(RequestBodies.object(ctx));
    if (update) {
      // A PUT carries the whole deployment: what it leaves out is removed, not kept.
      request.put("replace", true);
    }
    provider.registry.request(update ? Addresses.UPDATE : Addresses.DEPLOY, request)
        .onSuccess(record -> ProviderRequests.accepted(ctx))
        .onFailure(ctx::fail);
  }
}
