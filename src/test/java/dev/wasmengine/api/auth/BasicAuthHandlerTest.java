package dev.wasmengine.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Over real HTTP: the handler sits in front of a route that answers "reached". */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BasicAuthHandlerTest {
  static final String USER = "alice";
  static final String PASSWORD = "pa:ss:word";
  static final String REACHED = "reached";

  Vertx vertx;
  HttpServer server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  @BeforeAll
  void startServer() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(new BasicAuthHandler(new BasicAuthCredentials(USER, PASSWORD)));
    router.route().handler(BodyHandler.create(false));
    router.route("/private").handler(ctx -> ctx.response().end(REACHED));
    server = Await.result(vertx.createHttpServer().requestHandler(router).listen(0));
  }

  @AfterAll
  void stopServer() {
    client.close();
    Await.result(vertx.close());
  }

  @Test
  void without_credentials_the_answer_is_401_with_the_openfaas_challenge() throws IOException, InterruptedException {
    assertRefused(get(Optional.empty()), "credentials required");
  }

  @Test
  void a_wrong_password_or_user_is_refused() throws IOException, InterruptedException {
    assertRefused(get(Optional.of(basic(USER, "pa:ss:wrong"))), "invalid credentials");
    assertRefused(get(Optional.of(basic(USER, "pa"))), "invalid credentials");
    assertRefused(get(Optional.of(basic("bob", PASSWORD))), "invalid credentials");
    assertRefused(get(Optional.of(basic("", ""))), "invalid credentials");
  }

  @Test
  void a_malformed_header_is_refused() throws IOException, InterruptedException {
    assertRefused(get(Optional.of("Basic !!not-base64!!")), "malformed");
    assertRefused(get(Optional.of("Basic " + encode("no-colon-here"))), "malformed");
    assertRefused(get(Optional.of("Bearer " + encode(USER + ":" + PASSWORD))), "malformed");
    assertRefused(get(Optional.of("Basic")), "malformed");
    String notUtf8 = Base64.getEncoder().encodeToString(new byte[] {'a', ':', (byte) 0xff});
    assertRefused(get(Optional.of("Basic " + notUtf8)), "malformed");
  }

  @Test
  void the_right_credentials_reach_the_next_handler() throws IOException, InterruptedException {
    HttpResponse<String> response = get(Optional.of(basic(USER, PASSWORD)));
    assertEquals(200, response.statusCode());
    assertEquals(REACHED, response.body());
  }

  @Test
  void the_password_may_contain_colons_because_only_the_first_one_splits() throws IOException, InterruptedException {
    assertEquals(REACHED, get(Optional.of("Basic " + encode("alice:pa:ss:word"))).body());
    assertRefused(get(Optional.of("Basic " + encode("alice:pa:ss:word:"))), "invalid credentials");
  }

  @Test
  void the_scheme_is_case_insensitive() throws IOException, InterruptedException {
    assertEquals(REACHED, get(Optional.of("basic " + encode(USER + ":" + PASSWORD))).body());
  }

  @Test
  void a_body_sent_without_credentials_is_refused_before_it_is_read() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri())
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{\"args\": [1, 2]}"))
        .build();
    assertRefused(client.send(request, HttpResponse.BodyHandlers.ofString()), "credentials required");
    assertEquals(REACHED, get(Optional.of(basic(USER, PASSWORD))).body(), "the server still answers afterwards");
  }

  private static void assertRefused(HttpResponse<String> response, String messagePart) {
    assertEquals(401, response.statusCode(), response.body());
    assertEquals(Optional.of("Basic realm=\"Restricted\""), response.headers().firstValue("WWW-Authenticate"));
    assertEquals(Optional.of("application/json"), response.headers().firstValue("Content-Type"));
    JsonObject body = new JsonObject(response.body());
    assertEquals("unauthorized", body.getString("error"));
    assertTrue(body.getString("message").contains(messagePart), body.encode());
    assertFalse(response.body().contains(REACHED));
  }

  private HttpResponse<String> get(Optional<String> authorization) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri()).timeout(Duration.ofSeconds(30)).GET();
    authorization.ifPresent(value -> request.header("Authorization", value));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/private");
  }

  private static String basic(String user, String password) {
    return "Basic " + encode(user + ":" + password);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
