package dev.wasmengine.cluster;

import dev.wasmengine.invoke.FunctionClient;
import dev.wasmengine.runtime.HttpHeader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;

/**
 * An operator's verticle deployed into an engine process: it calls functions over the event
 * bus only ({@link FunctionClient}), never over the engine's HTTP API. The test drives it
 * through a small HTTP port of its own: {@code GET /call/<function>} answers the function's
 * status, its output as the body, and which node ran it.
 */
public final class BusClientVerticle extends VerticleBase {
  private HttpServer server;

  @Override
  public Future<?> start() {
    FunctionClient functions = new FunctionClient(vertx, Duration.ofSeconds(10));
    server = vertx.createHttpServer().requestHandler(request -> {
      String path = request.path();
      if (!path.startsWith("/call/")) {
        request.response().setStatusCode(404).end();
        return;
      }
      functions.invoke(path.substring("/call/".length()), Buffer.buffer("from a verticle"))
          .onSuccess(result -> {
            String ranOn = result.headers().stream()
                .filter(header -> header.name().equalsIgnoreCase("X-Served-By"))
                .map(HttpHeader::value).findFirst().orElse("");
            request.response().setStatusCode(result.status()).putHeader("X-Served-By", ranOn).end(result.output());
          })
          .onFailure(failure -> request.response().setStatusCode(599).end(failure.getMessage()));
    });
    return server.listen(config().getInteger("port"), "127.0.0.1");
  }
}
