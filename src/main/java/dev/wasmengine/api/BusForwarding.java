package dev.wasmengine.api;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** Sends a validated request to the verticle that owns it and answers with its JSON reply. */
final class BusForwarding {
  private final EventBus bus;
  private final DeliveryOptions options;

  BusForwarding(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  void forward(RoutingContext ctx, String address, JsonObject request) {
    bus.<JsonObject>request(address, request, options)
        .onSuccess(reply -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(reply.body().encode()))
        .onFailure(ctx::fail);
  }
}
