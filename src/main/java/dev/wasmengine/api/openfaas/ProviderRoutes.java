package dev.wasmengine.api.openfaas;

import dev.wasmengine.invoke.ShardStats;
import dev.wasmengine.api.BusForwarding;
import dev.wasmengine.api.LogsHandler;
import dev.wasmengine.bus.Addresses;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.invoke.FunctionClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * The OpenFaaS faas-provider routes, so the OpenFaaS gateway, its UI and faas-cli can drive the
 * engine: function CRUD, status, scale, info, namespaces, secrets, logs, and invocation by URL,
 * synchronous and asynchronous. Mounted after the engine's own routes, which keep their paths.
 */
public final class ProviderRoutes {
  private ProviderRoutes() {}

  /** @param functions how calls reach the functions (straight to the shards, or through the cluster's router) */
  public static void mount(Router router, Vertx vertx, EngineConfig config, BusForwarding registry,
      FunctionClient functions) {
    ProviderRequests provider = new ProviderRequests(registry, new ShardStats(vertx.eventBus(), config.invoke().workers()),
        config.invoke().minInstances());
    router.get("/system/functions").handler(new ListFunctionsHandler(provider));
    router.post("/system/functions").handler(DeployFunctionHandler.deploy(provider));
    router.put("/system/functions").handler(DeployFunctionHandler.update(provider));
    router.delete("/system/functions").handler(new DeleteFunctionHandler(provider));
    router.get("/system/function/:name").handler(new FunctionStatusHandler(provider));
    router.post("/system/scale-function/:name").handler(new ScaleFunctionHandler(provider));
    router.get("/system/info").handler(new InfoHandler(BuildInfo.load(), vertx.eventBus(), config.cluster().enabled()));
    router.get("/system/namespaces").handler(new NamespacesHandler(provider));
    router.route("/system/namespace/:name").method(HttpMethod.GET).method(HttpMethod.POST).method(HttpMethod.DELETE)
        .handler(new NamespaceHandler(provider));
    router.route("/system/secrets").method(HttpMethod.GET).method(HttpMethod.POST).method(HttpMethod.PUT)
        .method(HttpMethod.DELETE).handler(new SecretsHandler(provider));
    router.get("/system/logs").handler(new LogsHandler(vertx.eventBus(),
        function -> registry.request(Addresses.QUERY, function.toJson())));

    FunctionCallHandler calls = new FunctionCallHandler(functions);
    router.routeWithRegex(FunctionPath.CALL_ROUTE).handler(ctx -> {
      if (FunctionCallHandler.METHODS.contains(ctx.request().method())) {
        calls.handle(ctx);
      } else {
        ctx.fail(405);
      }
    });
    router.postWithRegex(FunctionPath.ASYNC_ROUTE)
        .handler(new AsyncCallHandler(provider, vertx.eventBus(), config.invoke().timeout()));
  }
}
