package dev.wasmengine.api;

import dev.wasmengine.invoke.FunctionClient;
import dev.wasmengine.invoke.InvokeRequest;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /function/invoke}: the args, serialised as JSON, are the function's input; the
 * answer is 200 with the function's raw output (UTF-8 text by both ABIs).
 */
final class InvokeHandler implements Handler<RoutingContext> {
  private final FunctionClient functions;

  InvokeHandler(FunctionClient functions) {
    this.functions = functions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    InvokeRequest request = InvokeRequest.fromJson(RequestBodies.object(ctx));
    functions.invoke(request.name(), Buffer.buffer(request.argsJson()))
        .onSuccess(result -> ctx.response()
            .setStatusCode(result.status())
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
            .putHeader("X-Cold-Start", Boolean.toString(result.coldStart()))
            .end(result.output()))
        .onFailure(ctx::fail);
  }
}
