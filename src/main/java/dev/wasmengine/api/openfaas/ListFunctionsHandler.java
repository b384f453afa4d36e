package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.store.FunctionRecord;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /system/functions?namespace=}: the status of every function of a namespace; 404 for an unknown namespace. */
final class ListFunctionsHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;

  ListFunctionsHandler(ProviderRequests provider) {
    this.provider = provider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String namespace = ProviderRequests.namespaceParam(ctx);
    JsonObject inNamespace = new JsonObject().put("namespace", namespace);
    provider.registry.request(Addresses.NAMESPACE_QUERY, inNamespace)
        .compose(known -> provider.registry.request(Addresses.LIST, inNamespace))
        .compose(list -> provider.stats.all().map(stats -> {
          JsonArray statuses = new JsonArray();
          JsonArray functions = list.getJsonArray("functions", new JsonArray());
          for (int i = 0; i < functions.size(); i++) {
            FunctionRecord record = FunctionRecord.fromJson(functions.getJsonObject(i));
            statuses.add(FunctionStatus.of(record, stats.getJsonObject(record.ref().key(), new JsonObject()),
                provider.defaultReplicas));
          }
          return statuses;
        }))
        .onSuccess(statuses -> ProviderRequests.json(ctx, 200, statuses))
        .onFailure(ctx::fail);
  }
}
