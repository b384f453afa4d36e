package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /system/namespaces}: every namespace, the default {@code openfaas-fn} included. */
final class NamespacesHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;

  NamespacesHandler(ProviderRequests provider) {
    this.provider = provider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    provider.registry.request(Addresses.NAMESPACES, new JsonObject())
        .onSuccess(reply -> ProviderRequests.json(ctx, 200, reply.getJsonArray("namespaces", new JsonArray())))
        .onFailure(ctx::fail);
  }
}
