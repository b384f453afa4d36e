package dev.wasmengine.api.openfaas;

import dev.wasmengine.invoke.ShardStats;
import dev.wasmengine.api.BusForwarding;
import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** What the provider routes share: the registry, the shards' stats, and how they read and answer requests. */
final class ProviderRequests {
  final BusForwarding registry;
  final ShardStats stats;
  /** The engine's invoke.min_instances: the replicas of a function that sets none. */
  final int defaultReplicas;

  ProviderRequests(BusForwarding registry, ShardStats stats, int defaultReplicas) {
    this.registry = registry;
    this.stats = stats;
    this.defaultReplicas = defaultReplicas;
  }

  /** The {@code namespace} query parameter, the default namespace when absent or empty. */
  static String namespaceParam(RoutingContext ctx) {
    String namespace = ctx.request().getParam("namespace");
    return valid(namespace == null || namespace.isEmpty() ? FunctionRef.DEFAULT_NAMESPACE : namespace);
  }

  static String valid(String namespace) {
    if (!FunctionNames.isValid(namespace)) {
      throw new BadRequestException("namespace \"" + namespace + "\" must be " + FunctionNames.RULE);
    }
    return namespace;
  }

  /** OpenFaaS answers accepted changes with 202 and no body. */
  static void accepted(RoutingContext ctx) {
    ctx.response().setStatusCode(202).end();
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(io.vertx.core.json.Json.encode(body));
  }
}
