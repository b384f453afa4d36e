package dev.wasmengine.api.openfaas;

import dev.wasmengine.api.RequestBodies;
import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /system/scale-function/{name}} with {@code {"serviceName", "replicas", "namespace"}}:
 * sets the warm instances the function keeps (0: scale to zero; calls then start cold) and
 * answers 202 once they are warm; 404 if unknown.
 */
final class ScaleFunctionHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;

  ScaleFunctionHandler(ProviderRequests provider) {
    this.provider = provider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx);
    String name = ctx.pathParam("name");
    JsonFields.optionalString(body, "serviceName").filter(service -> !service.isEmpty() && !service.equals(name))
        .ifPresent(service -> {
          throw new BadRequestException("serviceName \"" + service + "\" differs from the function in the path, " + name);
        });
    String namespace = JsonFields.optionalString(body, "namespace").filter(ns -> !ns.isEmpty())
        .orElseGet(() -> ProviderRequests.namespaceParam(ctx));
    // The registry checks replicas, as it does for every scale request.
    JsonObject request = new FunctionRef(namespace, name).toJson().put("replicas", body.getValue("replicas"));
    provider.registry.request(Addresses.SCALE, request)
        .onSuccess(scaled -> ProviderRequests.accepted(ctx))
        .onFailure(ctx::fail);
  }
}
