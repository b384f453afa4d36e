package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.invoke.FunctionClient;
import dev.wasmengine.invoke.Invocation;
import dev.wasmengine.invoke.InvocationResult;
import dev.wasmengine.runtime.HttpHeader;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /function/{name}[.{namespace}][/{path...}]}: calls the function with the request
 * (method, sub-path, query, headers, body) and answers what it answered. Every answer, failures
 * included, carries {@code X-Call-Id}, {@code X-Start-Time} (Unix nanoseconds) and
 * {@code X-Duration-Seconds}, as the OpenFaaS gateway adds them.
 */
final class FunctionCallHandler implements Handler<RoutingContext> {
  static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.HEAD);
  /** Headers about the connection, not the answer: the server sets its own. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
      "content-length", "upgrade", "trailer", "te", "proxy-authenticate", "proxy-authorization");
  static final String CALL_ID = "X-Call-Id";

  private final FunctionClient functions;

  FunctionCallHandler(FunctionClient functions) {
    this.functions = functions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long startNanos = System.nanoTime();
    long startEpochNanos = epochNanos();
    String callId = Optional.ofNullable(ctx.request().getHeader(CALL_ID)).orElseGet(() -> UUID.randomUUID().toString());
    HttpServerResponse response = ctx.response();
    response.putHeader(CALL_ID, callId).putHeader("X-Start-Time", Long.toString(startEpochNanos));
    response.headersEndHandler(ended -> response.putHeader("X-Duration-Seconds",
        String.format(java.util.Locale.ROOT, "%.6f", (System.nanoTime() - startNanos) / 1e9)));
    FunctionRef function = FunctionPath.function(ctx);
    Buffer body = ctx.body().buffer();
    Invocation invocation = new Invocation(function, FunctionPath.requestLine(ctx), body == null ? Buffer.buffer() : body,
        0, Optional.empty());
    functions.invoke(invocation)
        .onSuccess(result -> answer(response, result))
        .onFailure(ctx::fail);
  }

  private static void answer(HttpServerResponse response, InvocationResult result) {
    response.setStatusCode(result.status());
    boolean typed = false;
    for (HttpHeader header : result.headers()) {
      String name = header.name().toLowerCase(java.util.Locale.ROOT);
      if (!HOP_BY_HOP.contains(name)) {
        response.headers().add(header.name(), header.value());
        typed |= name.equals("content-type");
      }
    }
    if (!typed) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    response.end(result.output());
  }

  static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
