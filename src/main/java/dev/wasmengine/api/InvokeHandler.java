package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.invoke.InvokeRequest;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code POST /function/invoke}: hands the call to a worker over the event bus and answers 200
 * with the function's raw output (UTF-8 text by both ABIs).
 */
final class InvokeHandler implements Handler<RoutingContext> {
  private final EventBus bus;
  private final DeliveryOptions options;

  InvokeHandler(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  @Override
  public void handle(RoutingContext ctx) {
    InvokeRequest request = InvokeRequest.fromJson(RequestBodies.object(ctx));
    bus.<Buffer>request(Addresses.INVOKE, request.toJson(), options)
        .onSuccess(reply -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
            .end(reply.body()))
        .onFailure(ctx::fail);
  }
}
