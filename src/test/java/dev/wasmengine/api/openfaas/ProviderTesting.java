package dev.wasmengine.api.openfaas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.Modules;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** What the OpenFaaS provider tests share: request bodies, bounded polling, a callback server. */
final class ProviderTesting {
  static final String DEFAULT_NAMESPACE = "openfaas-fn";
  static final Duration EVENTUALLY = Duration.ofSeconds(30);
  /** RFC 3339 date-time: full date, 'T', full time with optional fraction, and Z or a numeric offset. */
  private static final Pattern RFC3339 =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");

  private ProviderTesting() {}

  /** A FunctionDeployment of a test guest: {"service": name, "image": path of the guest's .wasm}. */
  static JsonObject function(String service, String guest) {
    return new JsonObject().put("service", service).put("image", Modules.testGuest(guest).toString());
  }

  static JsonObject envVars(String... keysAndValues) {
    JsonObject vars = new JsonObject();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      vars.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return vars;
  }

  static void assertStatus(int expected, HttpResponse<Buffer> response) {
    assertEquals(expected, response.statusCode(), () -> "body: " + response.bodyAsString());
  }

  static void assertRfc3339(String text) {
    assertNotNull(text, "timestamp missing");
    assertTrue(RFC3339.matcher(text).matches(), text + " is not an RFC 3339 date-time");
    OffsetDateTime.parse(text.toUpperCase());
  }

  /** Retries {@code assertion} until it passes, for up to {@link #EVENTUALLY}. */
  static void eventually(String what, Runnable assertion) {
    Await.eventually(what, EVENTUALLY, assertion);
  }

  /** The NDJSON lines of a /system/logs answer, each parsed. */
  static List<JsonObject> ndjson(String body) {
    List<JsonObject> lines = new ArrayList<>();
    if (body == null) {
      return lines;
    }
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  static List<String> texts(List<JsonObject> lines) {
    return lines.stream().map(line -> line.getString("text")).toList();
  }

  /** The texts of the lines the guest wrote; the engine's own lines about the function are left out. */
  static List<String> guestTexts(List<JsonObject> lines) {
    return texts(lines.stream().filter(line -> !"engine".equals(line.getString("instance"))).toList());
  }

  /** The names in a GET /system/functions answer. */
  static List<String> names(JsonArray statuses) {
    return statuses.stream().map(status -> ((JsonObject) status).getString("name")).toList();
  }

  static JsonObject named(JsonArray statuses, String name) {
    return statuses.stream().map(JsonObject.class::cast).filter(status -> name.equals(status.getString("name")))
        .findFirst().orElseThrow(() -> new AssertionError(name + " is not in " + statuses.encode()));
  }

  /** An HTTP server on a random loopback port that records the async results POSTed to it, by X-Call-Id. */
  static final class CallbackServer implements AutoCloseable {
    record Callback(MultiMap headers, Buffer body) {
      String header(String name) {
        return headers.get(name);
      }
    }

    private final Map<String, Promise<Callback>> calls = new ConcurrentHashMap<>();
    private HttpServer server;

    static CallbackServer start(Vertx vertx) {
      CallbackServer callbacks = new CallbackServer();
      callbacks.server = Await.result(vertx.createHttpServer()
          .requestHandler(request -> request.body().onSuccess(body -> {
            String callId = request.getHeader("X-Call-Id");
            callbacks.promise(callId == null ? "" : callId)
                .tryComplete(new Callback(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body));
            request.response().setStatusCode(200).end();
          }))
          .listen(0, "127.0.0.1"));
      return callbacks;
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/results";
    }

    /** The callback carrying this call id (waits, bounded). */
    Callback await(String callId) {
      return Await.result(promise(callId).future());
    }

    private Promise<Callback> promise(String callId) {
      return calls.computeIfAbsent(callId, id -> Promise.promise());
    }

    @Override
    public void close() {
      Await.result(server.close());
    }
  }
}
