package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.Local;
import dev.wasmengine.config.ClusterConfig;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /system/cluster}: the cluster's members as this node sees them, each with its
 * labels, whether it takes work, its queue, and the functions it runs with their instances. A
 * single engine answers {@code {"enabled": false}}.
 */
final class ClusterHandler implements Handler<RoutingContext> {
  private final EventBus bus;
  private final ClusterConfig cluster;

  ClusterHandler(EventBus bus, ClusterConfig cluster) {
    this.bus = bus;
    this.cluster = cluster;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!cluster.enabled()) {
      answer(ctx, new JsonObject().put("enabled", false));
      return;
    }
    bus.<JsonObject>request(Addresses.CLUSTER_STATUS, new JsonObject(), Local.delivery())
        .onSuccess(reply -> answer(ctx, reply.body()))
        .onFailure(failure -> ctx.fail(Failures.fromReply(failure)));
  }

  private static void answer(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
