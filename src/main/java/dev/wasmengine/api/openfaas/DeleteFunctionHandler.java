package dev.wasmengine.api.openfaas;

import dev.wasmengine.api.RequestBodies;
import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code DELETE /system/functions} with {@code {"functionName", "namespace"}}: 202, or 404 if unknown. */
final class DeleteFunctionHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;

  DeleteFunctionHandler(ProviderRequests provider) {
    this.provider = provider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx);
    String namespace = JsonFields.optionalString(body, "namespace").filter(ns -> !ns.isEmpty())
        .orElse(FunctionRef.DEFAULT_NAMESPACE);
    FunctionRef function = new FunctionRef(namespace, JsonFields.requiredString(body, "functionName"));
    provider.registry.request(Addresses.DELETE, function.toJson())
        .onSuccess(removed -> ProviderRequests.accepted(ctx))
        .onFailure(ctx::fail);
  }
}
