package dev.wasmengine.api;

import dev.wasmengine.bus.Failures;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.ErrorKind;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The one place where failures become HTTP answers: every error kind has one status, and the
 * body is {@code {"error": kind, "message": text}}. Internal errors say nothing more than that.
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  public static int status(ErrorKind kind) {
    return switch (kind) {
      case BAD_REQUEST -> 400;
      case UNAUTHORIZED -> 401;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case LIMIT -> 413;
      case OVERLOADED -> 429;
      case MALFORMED_MODULE, INVALID_MODULE, LINK_ERROR, BAD_IMAGE -> 422;
      case TRAP, GUEST_EXIT, INTERNAL -> 500;
      case REGISTRY_UNAVAILABLE -> 502;
      case UNAVAILABLE -> 503;
      case TIMEOUT -> 504;
    };
  }

  /** Failure handler of the router: maps whatever failed the route. */
  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (ctx.failure() == null) {
      send(ctx, ctx.statusCode(), routerErrorKind(ctx.statusCode()), routerErrorMessage(ctx));
      return;
    }
    EngineException failure = Failures.fromReply(ctx.failure());
    if (failure.kind() == ErrorKind.OVERLOADED) {
      // Nothing was queued for this caller; a second later there is usually room again.
      ctx.response().putHeader("Retry-After", "1");
    }
    send(ctx, status(failure.kind()), failure.kind().name().toLowerCase(Locale.ROOT), failure.getMessage());
  }

  public static void send(RoutingContext ctx, int status, String error, String message) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", error).put("message", message).encode());
  }

  /** Statuses the router sets itself (no route, wrong method, body too large). */
  private static String routerErrorKind(int status) {
    return switch (status) {
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "limit";
      default -> "bad_request";
    };
  }

  private static String routerErrorMessage(RoutingContext ctx) {
    return switch (ctx.statusCode()) {
      case 404 -> "no route for " + ctx.request().method() + " " + ctx.request().path();
      case 405 -> "method " + ctx.request().method() + " not allowed on " + ctx.request().path();
      case 413 -> "request body too large";
      default -> "bad request";
    };
  }
}
