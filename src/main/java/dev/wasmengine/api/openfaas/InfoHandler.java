package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Local;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /system/info}: who the provider is, in the flat shape the gateway reads; in a
 * cluster also which node answered and the members with their load.
 */
final class InfoHandler implements Handler<RoutingContext> {
  static final String PROVIDER = "wasm-engine";
  static final String ORCHESTRATION = "wasm";

  private final JsonObject info;
  private final EventBus bus;
  private final boolean clustered;

  InfoHandler(BuildInfo build, EventBus bus, boolean clustered) {
    this.info = new JsonObject()
        .put("provider", PROVIDER)
        .put("orchestration", ORCHESTRATION)
        .put("version", new JsonObject().put("release", build.release()).put("sha", build.sha()));
    this.bus = bus;
    this.clustered = clustered;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!clustered) {
      ProviderRequests.json(ctx, 200, info);
      return;
    }
    // The summary the beacons already give: polling the info route asks no other node.
    bus.<JsonObject>request(Addresses.CLUSTER_STATUS, new JsonObject().put("detail", false), Local.delivery())
        .onComplete(status -> {
          JsonObject answer = info.copy();
          if (status.succeeded()) {
            answer.put("cluster", summary(status.result().body()));
          }
          ProviderRequests.json(ctx, 200, answer);
        });
  }

  private static JsonObject summary(JsonObject status) {
    JsonArray members = new JsonArray();
    status.getJsonArray("members", new JsonArray()).forEach(member -> {
      JsonObject node = (JsonObject) member;
      members.add(new JsonObject()
          .put("name", node.getString("name"))
          .put("http", node.getString("http"))
          .put("ready", node.getBoolean("ready", false))
          .put("leaving", node.getBoolean("leaving", false))
          .put("waiting", node.getInteger("waiting", 0))
          .put("functions", node.getInteger("functions", 0)));
    });
    return new JsonObject().put("name", status.getString("cluster")).put("node", status.getString("node"))
        .put("members", members);
  }
}
