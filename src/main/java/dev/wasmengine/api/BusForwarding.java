package dev.wasmengine.api;

import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.Local;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** Sends a validated request to the verticle that owns it and answers with its JSON reply. */
public final class BusForwarding {
  private final EventBus bus;
  private final DeliveryOptions options;

  public BusForwarding(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.options = Local.delivery(timeout.toMillis());
  }

  public void forward(RoutingContext ctx, String address, JsonObject request) {
    request(address, request)
        .onSuccess(reply -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(reply.encode()))
        .onFailure(ctx::fail);
  }

  /** The owner's reply, or its failure as an {@link dev.wasmengine.error.EngineException} of the right kind. */
  public Future<JsonObject> request(String address, JsonObject request) {
    return bus.<JsonObject>request(address, request, options)
        .recover(failure -> Future.failedFuture(Failures.fromReply(failure)))
        .map(reply -> reply.body());
  }
}
