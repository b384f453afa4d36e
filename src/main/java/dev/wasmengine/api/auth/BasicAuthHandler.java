package dev.wasmengine.api.auth;

import dev.wasmengine.error.ErrorKind;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a request through only with {@code Authorization: Basic base64(user:password)} matching
 * the credentials; anything else is answered 401 with the challenge OpenFaaS sends. The answer is
 * written here rather than by failing the route, so the challenge header cannot be lost on the
 * way and the handler works in front of any router. Mount it before the body handler, so an
 * unauthenticated caller cannot make the engine buffer a body.
 */
public final class BasicAuthHandler implements Handler<RoutingContext> {
  public static final String CHALLENGE = "Basic realm=\"Restricted\"";
  private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
  private static final String SCHEME = "basic ";

  private final BasicAuthCredentials credentials;

  public BasicAuthHandler(BasicAuthCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      refuse(ctx, "credentials required (basic auth)");
      return;
    }
    Optional<Presented> presented = parse(header);
    if (presented.isEmpty()) {
      refuse(ctx, "malformed Authorization header: expected Basic base64(user:password)");
      return;
    }
    if (!credentials.matches(presented.get().user(), presented.get().password())) {
      refuse(ctx, "invalid credentials");
      return;
    }
    ctx.next();
  }

  /** RFC 7617: the scheme is case-insensitive; user and password split at the first colon. */
  private static Optional<Presented> parse(String header) {
    String value = header.strip();
    if (!value.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      return Optional.empty();
    }
    String decoded;
    try {
      byte[] bytes = Base64.getDecoder().decode(value.substring(SCHEME.length()).strip());
      decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IllegalArgumentException | CharacterCodingException notBase64OfUtf8) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(new Presented(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  /** Same status and body shape as every other error of the API. */
  private static void refuse(RoutingContext ctx, String message) {
    ctx.response()
        .setStatusCode(401)
        .putHeader(WWW_AUTHENTICATE, CHALLENGE)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject()
            .put("error", ErrorKind.UNAUTHORIZED.name().toLowerCase(Locale.ROOT))
            .put("message", message)
            .encode());
  }

  /** What the caller sent; never printed, so toString leaves the password out. */
  private record Presented(String user, String password) {
    @Override
    public String toString() {
      return "Presented[user=" + user + ", password=<hidden>]";
    }
  }
}
