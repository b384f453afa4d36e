package dev.wasmengine.api.openfaas;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.invoke.Invocation;
import dev.wasmengine.runtime.HttpHeader;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an invocation URL, {@code /function/{name}[.{namespace}][/{path...}][?query]} (and the
 * same under {@code /async-function}): the function, and the request the guest sees. A name with
 * a dot is split at its last dot, as OpenFaaS does; a default-namespace function whose own name
 * has a dot is reached as {@code name.openfaas-fn}.
 */
final class FunctionPath {
  /** Group 1: the function segment; group 2: the rest of the path, if any. */
  static final String CALL_ROUTE = "/function/([^/]+)(/.*)?";
  static final String ASYNC_ROUTE = "/async-function/([^/]+)(/.*)?";

  private FunctionPath() {}

  static FunctionRef function(RoutingContext ctx) {
    String segment = ctx.pathParam("param0");
    int dot = segment.lastIndexOf('.');
    return dot < 0
        ? FunctionRef.of(segment)
        : new FunctionRef(segment.substring(dot + 1), segment.substring(0, dot));
  }

  static Invocation.RequestLine requestLine(RoutingContext ctx) {
    String rest = ctx.pathParam("param1");
    HttpServerRequest request = ctx.request();
    List<HttpHeader> headers = new ArrayList<>();
    request.headers().forEach(entry -> headers.add(new HttpHeader(entry.getKey(), entry.getValue())));
    String query = request.query();
    return new Invocation.RequestLine(request.method().name(), rest == null || rest.isEmpty() ? "/" : rest,
        query == null ? "" : query, headers);
  }
}
