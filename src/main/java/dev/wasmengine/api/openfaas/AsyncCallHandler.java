package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.invoke.Invocation;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /async-function/{name}[.{namespace}][/{path...}]}: checks the function exists
 * (404 at once if not), queues the call and answers 202 with its {@code X-Call-Id}; 429 when the
 * queue is full. With {@code X-Callback-Url}, the result is POSTed there when done.
 */
final class AsyncCallHandler implements Handler<RoutingContext> {
  static final String CALLBACK_URL = "X-Callback-Url";

  private final ProviderRequests provider;
  private final io.vertx.core.eventbus.EventBus bus;
  private final Duration timeout;

  AsyncCallHandler(ProviderRequests provider, io.vertx.core.eventbus.EventBus bus, Duration timeout) {
    this.provider = provider;
    this.bus = bus;
    this.timeout = timeout;
  }

  @Override
  public void handle(RoutingContext ctx) {
    FunctionRef function = FunctionPath.function(ctx);
    Optional<String> callback = Optional.ofNullable(ctx.request().getHeader(CALLBACK_URL)).map(AsyncCallHandler::checked);
    String callId = Optional.ofNullable(ctx.request().getHeader(FunctionCallHandler.CALL_ID))
        .orElseGet(() -> UUID.randomUUID().toString());
    Buffer body = ctx.body().buffer();
    Invocation invocation = new Invocation(function, FunctionPath.requestLine(ctx), body == null ? Buffer.buffer() : body,
        0, Optional.empty());
    DeliveryOptions queued = invocation.deliveryOptions(timeout.toMillis()).addHeader(Addresses.CALL_ID_HEADER, callId);
    callback.ifPresent(url -> queued.addHeader(Addresses.CALLBACK_HEADER, url));
    provider.registry.request(Addresses.QUERY, function.toJson())
        .compose(known -> bus.request(Addresses.INVOKE_ASYNC, invocation.input(), queued)
            .recover(failure -> io.vertx.core.Future.failedFuture(dev.wasmengine.bus.Failures.fromReply(failure))))
        .onSuccess(accepted -> ctx.response().setStatusCode(202).putHeader(FunctionCallHandler.CALL_ID, callId).end())
        .onFailure(ctx::fail);
  }

  /** Only an absolute http(s) URL can be called back. */
  private static String checked(String url) {
    try {
      URI uri = new URI(url);
      if (uri.isAbsolute() && uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new BadRequestException(CALLBACK_URL + " must be an absolute http or https URL, got \"" + url + "\"");
  }
}
