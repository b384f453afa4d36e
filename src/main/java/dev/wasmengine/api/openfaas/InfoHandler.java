package dev.wasmengine.api.openfaas;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /system/info}: who the provider is, in the flat shape the gateway reads. */
final class InfoHandler implements Handler<RoutingContext> {
  static final String PROVIDER = "wasm-engine";
  static final String ORCHESTRATION = "wasm";

  private final JsonObject info;

  InfoHandler(BuildInfo build) {
    this.info = new JsonObject()
        .put("provider", PROVIDER)
        .put("orchestration", ORCHESTRATION)
        .put("version", new JsonObject().put("release", build.release()).put("sha", build.sha()));
  }

  @Override
  public void handle(RoutingContext ctx) {
    ProviderRequests.json(ctx, 200, info);
  }
}
