package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.store.FunctionRecord;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /system/function/{name}?namespace=}: one function's status, 404 when unknown. */
final class FunctionStatusHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;

  FunctionStatusHandler(ProviderRequests provider) {
    this.provider = provider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    FunctionRef function = new FunctionRef(ProviderRequests.namespaceParam(ctx), ctx.pathParam("name"));
    provider.registry.request(Addresses.QUERY, function.toJson())
        .compose(reply -> provider.stats.of(function).map(stats ->
            FunctionStatus.of(FunctionRecord.fromJson(reply), stats, provider.defaultReplicas)))
        .onSuccess(status -> ProviderRequests.json(ctx, 200, status))
        .onFailure(ctx::fail);
  }
}
