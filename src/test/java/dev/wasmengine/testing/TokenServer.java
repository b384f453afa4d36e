package dev.wasmengine.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Docker registry token endpoint, as CNCF distribution's {@code auth.token} expects it: a
 * Vert.x HTTP server on a free loopback port answering {@code GET /token?service=S&scope=...}
 * with an RS256 JWT signed by JDK crypto, whose header carries the signing certificate
 * ({@code x5c}). Basic credentials are checked against one configured user; exactly the
 * requested actions are granted.
 */
public final class TokenServer implements AutoCloseable {
  public static final int EXPIRES_IN_SECONDS = 300;

  private final HttpServer server;
  private final Certificates.SigningKey signingKey;
  private final String issuer;
  private final String service;
  private final String user;
  private final String password;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> scopesAsked = new ArrayList<>();

  private TokenServer(Vertx vertx, Certificates.SigningKey signingKey, String issuer, String service, String user,
      String password) {
    this.signingKey = signingKey;
    this.issuer = issuer;
    this.service = service;
    this.user = user;
    this.password = password;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle);
  }

  /** Starts the endpoint on a free loopback port. */
  public static TokenServer start(Vertx vertx, Certificates.SigningKey signingKey, String issuer, String service,
      String user, String password) {
    TokenServer tokens = new TokenServer(vertx, signingKey, issuer, service, user, password);
    Await.result(tokens.server.listen());
    return tokens;
  }

  public int port() {
    return server.actualPort();
  }

  /** The realm a registry announces: {@code http://127.0.0.1:PORT/token}. */
  public String realm() {
    return "http://127.0.0.1:" + port() + "/token";
  }

  public String service() {
    return service;
  }

  public String issuer() {
    return issuer;
  }

  /** Requests to /token so far, refused ones included. */
  public int tokenRequests() {
    return requests.get();
  }

  /** Tokens handed out so far. */
  public int tokensIssued() {
    return issued.get();
  }

  /** The scope parameters of every token request so far. */
  public List<String> scopesAsked() {
    synchronized (scopesAsked) {
      return List.copyOf(scopesAsked);
    }
  }

  @Override
  public void close() {
    Await.result(server.close());
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals("/token")) {
      request.response().setStatusCode(404).end();
      return;
    }
    requests.incrementAndGet();
    if (request.method() != HttpMethod.GET) {
      request.response().setStatusCode(405).end();
      return;
    }
    List<String> scopes = request.params().getAll("scope");
    synchronized (scopesAsked) {
      scopesAsked.addAll(scopes);
    }
    if (!authorized(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401)
          .putHeader("WWW-Authenticate", "Basic realm=\"wasmengine-test-token\"")
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("errors", new JsonArray().add(new JsonObject()
              .put("code", "UNAUTHORIZED").put("message", "authentication required"))).encode());
      return;
    }
    String askedService = request.getParam("service");
    if (askedService != null && !askedService.equals(service)) {
      request.response().setStatusCode(400).end("unknown service " + askedService);
      return;
    }
    JsonArray access = new JsonArray();
    for (String scope : scopes) {
      for (String single : scope.split(" ")) {
        JsonObject grant = grant(single);
        if (grant == null) {
          request.response().setStatusCode(400).end("malformed scope " + single);
          return;
        }
        access.add(grant);
      }
    }
    Instant now = Instant.now();
    String token = jwt(access, now);
    issued.incrementAndGet();
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("token", token)
        .put("access_token", token)
        .put("expires_in", EXPIRES_IN_SECONDS)
        .put("issued_at", now.toString())
        .encode());
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, decoded.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code repository:NAME:pull,push} → {"type":"repository","name":NAME,"actions":["pull","push"]}. */
  private static JsonObject grant(String scope) {
    int first = scope.indexOf(':');
    int last = scope.lastIndexOf(':');
    if (first <= 0 || last <= first) {
      return null;
    }
    JsonArray actions = new JsonArray();
    for (String action : scope.substring(last + 1).split(",")) {
      if (!action.isEmpty()) {
        actions.add(action);
      }
    }
    return new JsonObject()
        .put("type", scope.substring(0, first))
        .put("name", scope.substring(first + 1, last))
        .put("actions", actions);
  }

  private String jwt(JsonArray access, Instant now) {
    try {
      JsonObject header = new JsonObject()
          .put("typ", "JWT")
          .put("alg", "RS256")
          .put("x5c", new JsonArray().add(Base64.getEncoder().encodeToString(signingKey.certificate().getEncoded())));
      JsonObject claims = new JsonObject()
          .put("iss", issuer)
          .put("sub", user)
          .put("aud", service)
          .put("exp", now.getEpochSecond() + EXPIRES_IN_SECONDS)
          .put("nbf", now.getEpochSecond() - 10)
          .put("iat", now.getEpochSecond())
          .put("jti", UUID.randomUUID().toString())
          .put("access", access);
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String signingInput = url.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
          + url.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(signingKey.privateKey());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + url.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }
}
