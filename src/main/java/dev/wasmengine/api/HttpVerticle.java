package dev.wasmengine.api;

import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.invoke.FunctionClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The REST front: validates requests and passes them over the event bus to the registry and
 * the invoker workers. It never runs guest code or touches files, so its event loop stays free.
 */
public final class HttpVerticle extends VerticleBase {
  private final EngineConfig config;
  private final PrometheusMeterRegistry metrics;
  private HttpServer server;

  public HttpVerticle(EngineConfig config, PrometheusMeterRegistry metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes()));

    BusForwarding registry = new BusForwarding(vertx.eventBus(), config.registry().deployTimeout());
    router.post("/function/deploy").handler(new DeployHandler(registry));
    router.post("/function/update").handler(new UpdateHandler(registry));
    router.post("/function/delete").handler(new DeleteHandler(registry));
    router.post("/function/query").handler(new QueryHandler(registry));
    router.get("/function/list").handler(new ListHandler(registry));
    FunctionClient functions = FunctionClient.forShards(vertx, config.invoke().timeout(), config.invoke().workers());
    router.post("/function/invoke").handler(new InvokeHandler(functions));
    router.get("/metrics").handler(new MetricsHandler(metrics));
    router.route("/healthz").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(new HealthHandler());

    router.route().failureHandler(ErrorResponses::handle);
    for (int status : new int[] {404, 405, 413}) {
      router.errorHandler(status, ErrorResponses::handle);
    }

    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.http().bind()).setPort(config.http().port()));
    return server.requestHandler(router).listen();
  }

  /** The port actually bound; meaningful once started. */
  public int actualPort() {
    return server.actualPort();
  }
}
