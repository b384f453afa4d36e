package dev.wasmengine.api;

import dev.wasmengine.api.auth.BasicAuthCredentials;
import dev.wasmengine.api.auth.BasicAuthHandler;
import dev.wasmengine.api.openfaas.ProviderRoutes;
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
import java.util.Optional;
import java.util.Set;

/**
 * The REST front: validates requests and passes them over the event bus to the registry and
 * the invoker workers. It never runs guest code or touches files, so its event loop stays free.
 */
public final class HttpVerticle extends VerticleBase {
  /** The engine's own management routes, protected like OpenFaaS's /system routes. */
  private static final Set<String> MANAGEMENT = Set.of("/function/deploy", "/function/update", "/function/delete",
      "/function/query", "/function/list");
  /**
   * The engine's own routes under /function/: other methods on them answer 405 rather than
   * calling a function of that name (which stays reachable as {@code /function/<name>.openfaas-fn}).
   */
  private static final Set<String> ENGINE_ROUTES = Set.of("/function/deploy", "/function/update", "/function/delete",
      "/function/query", "/function/list", "/function/invoke");

  private final EngineConfig config;
  private final PrometheusMeterRegistry metrics;
  private final Optional<BasicAuthCredentials> credentials;
  /** The invoker count when calls go straight to the shards; 0 when they go through the router (cluster). */
  private final int directShards;
  private HttpServer server;

  /** @param credentials the basic-auth user and password, or none when auth is off */
  public HttpVerticle(EngineConfig config, PrometheusMeterRegistry metrics, Optional<BasicAuthCredentials> credentials,
      int directShards) {
    this.config = config;
    this.directShards = directShards;
    this.metrics = metrics;
    this.credentials = credentials;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // Before the body handler, so an unauthenticated caller cannot make the engine buffer a body.
    credentials.map(BasicAuthHandler::new).ifPresent(auth -> router.route().handler(ctx -> {
      if (isProtected(ctx.request().method(), ctx.normalizedPath())) {
        auth.handle(ctx);
      } else {
        ctx.next();
      }
    }));
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes()));

    BusForwarding registry = new BusForwarding(vertx.eventBus(), config.registry().deployTimeout());
    router.post("/function/deploy").handler(new DeployHandler(registry));
    router.post("/function/update").handler(new UpdateHandler(registry));
    router.post("/function/delete").handler(new DeleteHandler(registry));
    router.post("/function/query").handler(new QueryHandler(registry));
    router.get("/function/list").handler(new ListHandler(registry));
    FunctionClient functions = FunctionClient.forShards(vertx, config.invoke().timeout(), directShards);
    router.post("/function/invoke").handler(new InvokeHandler(functions));
    router.get("/metrics").handler(new MetricsHandler(metrics));
    router.route("/healthz").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(new HealthHandler());
    ENGINE_ROUTES.forEach(path -> router.route(path).handler(ctx -> ctx.fail(405)));
    ProviderRoutes.mount(router, vertx, config, registry, functions);
    router.get("/system/cluster").handler(new ClusterHandler(vertx.eventBus(), config.cluster()));

    router.route().failureHandler(ErrorResponses::handle);
    for (int status : new int[] {404, 405, 413}) {
      router.errorHandler(status, ErrorResponses::handle);
    }

    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.http().bind()).setPort(config.http().port()));
    return server.requestHandler(router).listen();
  }

  /**
   * What needs credentials: the provider's /system routes (but the namespace list, which the
   * OpenFaaS gateway reads without them) and the engine's management routes. Invocations,
   * health and metrics stay open, as in OpenFaaS.
   */
  static boolean isProtected(HttpMethod method, String path) {
    if (path.startsWith("/system/")) {
      return !(method == HttpMethod.GET && path.equals("/system/namespaces"));
    }
    return MANAGEMENT.contains(path);
  }

  /** The port actually bound; meaningful once started. */
  public int actualPort() {
    return server.actualPort();
  }
}
