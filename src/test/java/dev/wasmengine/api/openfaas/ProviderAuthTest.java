package dev.wasmengine.api.openfaas;

import static dev.wasmengine.api.openfaas.ProviderTesting.assertStatus;
import static dev.wasmengine.api.openfaas.ProviderTesting.envVars;
import static dev.wasmengine.api.openfaas.ProviderTesting.function;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.api.openfaas.ProviderTesting.CallbackServer;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth of the provider API (issue 6 contract, "Auth"), and the bounded async queue. The
 * protected engine runs with --auth on and the credentials it generates into its data directory.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderAuthTest {
  static final String CHALLENGE = "Basic realm=\"Restricted\"";

  Path dataDir;
  RunningEngine engine;
  WebClient http;
  String user;
  String password;

  @BeforeAll
  void startProtectedEngine(Vertx vertx, @TempDir Path dataDir) throws IOException {
    this.dataDir = dataDir;
    engine = RunningEngine.start(vertx, dataDir, ExecutionModel.JIT, "--auth", "on");
    http = client(vertx, engine);
    user = Files.readString(dataDir.resolve("auth").resolve("basic-auth-user"), StandardCharsets.UTF_8).strip();
    password = Files.readString(dataDir.resolve("auth").resolve("basic-auth-password"), StandardCharsets.UTF_8).strip();
  }

  @AfterAll
  void stopEngine() {
    http.close();
    engine.close();
  }

  static WebClient client(Vertx vertx, RunningEngine engine) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(engine.port())
        .setFollowRedirects(false));
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<Buffer> send(WebClient http, HttpMethod method, String path, JsonObject body, String authorization) {
    HttpRequest<Buffer> request = http.request(method, path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  HttpResponse<Buffer> anonymous(HttpMethod method, String path, JsonObject body) {
    return send(http, method, path, body, null);
  }

  HttpResponse<Buffer> authenticated(HttpMethod method, String path, JsonObject body) {
    return send(http, method, path, body, basic(user, password));
  }

  static void assertChallenged(HttpResponse<Buffer> response, String what) {
    assertEquals(401, response.statusCode(), what + ": " + response.bodyAsString());
    assertEquals(CHALLENGE, response.getHeader("WWW-Authenticate"), what);
  }

  record Route(HttpMethod method, String path, JsonObject body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Route> protectedRoutes() {
    JsonObject deployment = function("sneaky", "http-plain");
    return List.of(
        new Route(HttpMethod.GET, "/system/functions", null),
        new Route(HttpMethod.POST, "/system/functions", deployment),
        new Route(HttpMethod.PUT, "/system/functions", deployment),
        new Route(HttpMethod.DELETE, "/system/functions", new JsonObject().put("functionName", "sneaky")),
        new Route(HttpMethod.GET, "/system/function/sneaky", null),
        new Route(HttpMethod.POST, "/system/scale-function/sneaky", new JsonObject().put("serviceName", "sneaky").put("replicas", 1)),
        new Route(HttpMethod.GET, "/system/info", null),
        new Route(HttpMethod.GET, "/system/secrets", null),
        new Route(HttpMethod.POST, "/system/secrets", new JsonObject().put("name", "sneaky").put("value", "x")),
        new Route(HttpMethod.GET, "/system/logs?name=sneaky", null),
        new Route(HttpMethod.POST, "/system/namespace/sneaky", new JsonObject().put("name", "sneaky")),
        new Route(HttpMethod.GET, "/system/namespace/openfaas-fn", null),
        new Route(HttpMethod.POST, "/function/deploy", new JsonObject().put("function_name", "sneaky")
            .put("function_image", Modules.testGuest("counter").toString())),
        new Route(HttpMethod.POST, "/function/update", new JsonObject().put("function_name", "sneaky")),
        new Route(HttpMethod.POST, "/function/delete", new JsonObject().put("function_name", "sneaky")),
        new Route(HttpMethod.POST, "/function/query", new JsonObject().put("function_name", "sneaky")),
        new Route(HttpMethod.GET, "/function/list", null));
  }

  @Test
  void system_and_management_routes_without_credentials_answer_401_with_the_basic_challenge() {
    for (Route route : protectedRoutes()) {
      assertChallenged(anonymous(route.method(), route.path(), route.body()), route.toString());
    }
    // Nothing the anonymous calls asked for happened.
    assertStatus(404, authenticated(HttpMethod.GET, "/system/function/sneaky", null));
    assertStatus(404, authenticated(HttpMethod.GET, "/system/namespace/sneaky", null));
  }

  @Test
  void wrong_credentials_answer_401() {
    for (String authorization : List.of(basic(user, password + "x"), basic(user + "x", password), basic(user, ""),
        "Bearer ", "Basic !!!not-base64", "Basic")) {
      assertChallenged(send(http, HttpMethod.GET, "/system/functions", null, authorization), authorization);
    }
  }

  @Test
  void the_generated_credentials_open_the_protected_routes() {
    assertEquals("admin", user);
    assertFalse(password.isBlank());
    assertStatus(200, authenticated(HttpMethod.GET, "/system/functions", null));
    assertStatus(200, authenticated(HttpMethod.GET, "/system/info", null));
    assertStatus(202, authenticated(HttpMethod.POST, "/system/functions", function("authorised", "http-plain")));
    assertStatus(200, authenticated(HttpMethod.GET, "/system/function/authorised", null));
    assertStatus(200, authenticated(HttpMethod.POST, "/function/deploy", new JsonObject().put("function_name", "counter")
        .put("function_image", Modules.testGuest("counter").toString())));
    assertStatus(200, authenticated(HttpMethod.GET, "/function/list", null));
  }

  @Test
  void the_credential_files_are_readable_by_their_owner_only() throws IOException {
    for (String file : List.of("basic-auth-user", "basic-auth-password")) {
      assertEquals(PosixFilePermissions.fromString("rw-------"),
          Files.getPosixFilePermissions(dataDir.resolve("auth").resolve(file)), file);
    }
  }

  @Test
  void the_namespace_list_invocation_health_and_metrics_stay_open() {
    assertStatus(202, authenticated(HttpMethod.POST, "/system/functions", function("open-door", "http-plain")));
    assertStatus(200, authenticated(HttpMethod.POST, "/function/deploy", new JsonObject().put("function_name", "grow")
        .put("function_image", Modules.testGuest("grow").toString())));

    HttpResponse<Buffer> namespaces = anonymous(HttpMethod.GET, "/system/namespaces", null);
    assertStatus(200, namespaces);
    assertTrue(namespaces.bodyAsJsonArray().contains("openfaas-fn"), namespaces.bodyAsString());
    HttpResponse<Buffer> invoked = anonymous(HttpMethod.POST, "/function/open-door", new JsonObject());
    assertStatus(200, invoked);
    assertEquals("plain body", invoked.bodyAsString());
    assertStatus(200, anonymous(HttpMethod.GET, "/function/open-door.openfaas-fn/sub?x=1", null));
    assertStatus(202, anonymous(HttpMethod.POST, "/async-function/open-door", new JsonObject()));
    HttpResponse<Buffer> original = anonymous(HttpMethod.POST, "/function/invoke", new JsonObject()
        .put("function_name", "grow").put("args", new JsonObject().put("pages", "0")));
    assertStatus(200, original);
    assertTrue(original.bodyAsString().startsWith("grew "), original.bodyAsString());
    assertStatus(200, anonymous(HttpMethod.GET, "/healthz", null));
    assertStatus(200, anonymous(HttpMethod.HEAD, "/healthz", null));
    assertStatus(200, anonymous(HttpMethod.GET, "/metrics", null));
  }

  @Test
  void with_auth_off_everything_is_open(@TempDir Path otherData) {
    // An engine of its own Vert.x: two engines on one event bus would answer each other's addresses.
    Vertx vertx = Vertx.vertx();
    try {
      checkEverythingIsOpen(vertx, otherData);
    } finally {
      Await.result(vertx.close());
    }
  }

  private void checkEverythingIsOpen(Vertx vertx, Path otherData) {
    RunningEngine open = RunningEngine.start(vertx, otherData, ExecutionModel.JIT, "--auth", "off");
    WebClient openHttp = client(vertx, open);
    try {
      for (Route route : protectedRoutes()) {
        HttpResponse<Buffer> response = send(openHttp, route.method(), route.path(), route.body(), null);
        assertTrue(response.statusCode() != 401, route + " answered 401 with auth off");
      }
      assertStatus(200, send(openHttp, HttpMethod.GET, "/system/functions", null, null));
      assertStatus(202, send(openHttp, HttpMethod.POST, "/system/functions", function("free", "http-plain"), null));
      assertStatus(200, send(openHttp, HttpMethod.GET, "/system/function/free", null, null));
      assertStatus(200, send(openHttp, HttpMethod.GET, "/system/info", null, null));
      assertStatus(200, send(openHttp, HttpMethod.GET, "/function/list", null, null));
      assertEquals("plain body", send(openHttp, HttpMethod.POST, "/function/free", new JsonObject(), null).bodyAsString());
    } finally {
      openHttp.close();
      open.close();
    }
  }

  /**
   * With async_queue 1, two async calls run at once (one per guest thread) and one waits; while the
   * first two spin until their deadline, every further call finds the queue full. The burst is sent
   * at once, far within that deadline. Every accepted call is called back, and once they are done
   * the queue takes calls again.
   */
  @Test
  void a_full_async_queue_answers_429(@TempDir Path work) throws IOException {
    // An engine of its own Vert.x, as above.
    Vertx vertx = Vertx.vertx();
    try {
      checkTheQueueFills(vertx, work);
    } finally {
      Await.result(vertx.close());
    }
  }

  private void checkTheQueueFills(Vertx vertx, Path work) throws IOException {
    JsonObject config = new JsonObject()
        .put("openfaas", new JsonObject().put("async_queue", 1))
        .put("invoke", new JsonObject().put("guest_threads", 2).put("max_instances", 2).put("timeout_ms", 120_000));
    Path configFile = Files.writeString(work.resolve("config.json"), config.encodePrettily());
    RunningEngine queued = RunningEngine.start(vertx, work.resolve("data"), ExecutionModel.JIT,
        "--auth", "off", "--config", configFile.toString());
    WebClient queuedHttp = client(vertx, queued);
    CallbackServer callbacks = CallbackServer.start(vertx);
    try {
      assertStatus(202, send(queuedHttp, HttpMethod.POST, "/system/functions", function("spin-forever", "spin-forever")
          .put("annotations", new JsonObject().put("com.openfaas.abi", "export"))
          .put("envVars", envVars("exec_timeout", "8s")), null));
      assertStatus(202, send(queuedHttp, HttpMethod.POST, "/system/functions", function("quick", "http-plain"), null));

      int burst = 8;
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        calls.add(queuedHttp.post("/async-function/spin-forever").putHeader("X-Callback-Url", callbacks.url())
            .sendBuffer(Buffer.buffer("{}")));
      }
      List<String> accepted = new ArrayList<>();
      int refused = 0;
      for (Future<HttpResponse<Buffer>> call : calls) {
        HttpResponse<Buffer> response = Await.result(call);
        switch (response.statusCode()) {
          case 202 -> accepted.add(response.getHeader("X-Call-Id"));
          case 429 -> refused++;
          default -> throw new AssertionError("an async call answered " + response.statusCode() + ": "
              + response.bodyAsString());
        }
      }
      assertTrue(refused >= 1, "none of " + burst + " calls was refused");
      assertFalse(accepted.isEmpty(), "every call was refused");

      for (String callId : accepted) {
        CallbackServer.Callback result = callbacks.await(callId);
        assertEquals("504", result.header("X-Function-Status"), "a call stopped at its deadline");
      }
      HttpResponse<Buffer> again = Await.result(queuedHttp.post("/async-function/quick")
          .putHeader("X-Callback-Url", callbacks.url()).sendBuffer(Buffer.buffer("{}")));
      assertStatus(202, again);
      CallbackServer.Callback quick = callbacks.await(again.getHeader("X-Call-Id"));
      assertEquals("200", quick.header("X-Function-Status"));
      assertEquals("plain body", quick.body().toString());
    } finally {
      callbacks.close();
      queuedHttp.close();
      queued.close();
    }
  }
}
