package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.error.ConflictException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /system/namespace/{name}}: GET answers {@code {"name"}} or 404; POST creates it (201,
 * 409 if it exists); DELETE removes an empty one (202; 409 while it holds functions or secrets).
 */
final class NamespaceHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;

  NamespaceHandler(ProviderRequests provider) {
    this.provider = provider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String namespace = ProviderRequests.valid(ctx.pathParam("name"));
    JsonObject request = new JsonObject().put("namespace", namespace);
    switch (ctx.request().method().name()) {
      case "GET" -> provider.registry.request(Addresses.NAMESPACE_QUERY, request)
          .onSuccess(found -> ProviderRequests.json(ctx, 200, described(namespace)))
          .onFailure(ctx::fail);
      case "POST" -> provider.registry.request(Addresses.NAMESPACE_CREATE, request)
          .compose(reply -> reply.getBoolean("created", false)
              ? Future.succeededFuture(reply)
              : Future.failedFuture(new ConflictException("namespace " + namespace + " already exists")))
          .onSuccess(created -> ProviderRequests.json(ctx, 201, described(namespace)))
          .onFailure(ctx::fail);
      default -> provider.registry.request(Addresses.NAMESPACE_DELETE, request)
          .onSuccess(deleted -> ProviderRequests.accepted(ctx))
          .onFailure(ctx::fail);
    }
  }

  /** Namespaces carry no labels or annotations here; the fields are there for clients that read them. */
  private static JsonObject described(String namespace) {
    return new JsonObject().put("name", namespace).put("labels", new JsonObject()).put("annotations", new JsonObject());
  }
}
