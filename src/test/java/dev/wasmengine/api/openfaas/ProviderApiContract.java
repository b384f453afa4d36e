package dev.wasmengine.api.openfaas;

import static dev.wasmengine.api.openfaas.ProviderTesting.DEFAULT_NAMESPACE;
import static dev.wasmengine.api.openfaas.ProviderTesting.assertRfc3339;
import static dev.wasmengine.api.openfaas.ProviderTesting.assertStatus;
import static dev.wasmengine.api.openfaas.ProviderTesting.envVars;
import static dev.wasmengine.api.openfaas.ProviderTesting.eventually;
import static dev.wasmengine.api.openfaas.ProviderTesting.function;
import static dev.wasmengine.api.openfaas.ProviderTesting.named;
import static dev.wasmengine.api.openfaas.ProviderTesting.names;
import static dev.wasmengine.api.openfaas.ProviderTesting.ndjson;
import static dev.wasmengine.api.openfaas.ProviderTesting.guestTexts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.api.openfaas.ProviderTesting.CallbackServer;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenFaaS faas-provider API (facts §2 and the issue 6 contract), over real HTTP against a real
 * engine whose default execution model is the subclass's. Functions are real test guests deployed
 * through POST /system/functions with the guest's .wasm path as "image". One engine per class; a
 * test that changes a function uses a function of its own.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProviderApiContract {
  /** The CGI names http-echo only reports when ECHO_ALSO lists them. */
  static final String ECHO_ALSO = "GATEWAY_INTERFACE,SERVER_PROTOCOL,SCRIPT_NAME";

  Vertx vertx;
  RunningEngine engine;
  WebClient http;
  CallbackServer callbacks;

  abstract ExecutionModel model();

  @BeforeAll
  void startEngine(Vertx vertx, @TempDir Path dataDir, @TempDir Path configDir) throws IOException {
    this.vertx = vertx;
    // Two guest threads whatever the machine, so the per-function concurrency is the same everywhere.
    Path config = Files.writeString(configDir.resolve("config.json"),
        new JsonObject().put("invoke", new JsonObject().put("guest_threads", 2)).encodePrettily());
    engine = RunningEngine.start(vertx, dataDir, model(), "--config", config.toString());
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(engine.port())
        .setFollowRedirects(false));
    callbacks = CallbackServer.start(vertx);
    deploy(function("echo", "http-echo").put("envVars", envVars("ECHO_ALSO", ECHO_ALSO)));
    deploy(function("plain", "http-plain"));
    deploy(function("redirect", "http-redirect"));
    deploy(function("teapot", "http-status"));
    deploy(function("failing", "http-fail"));
  }

  @AfterAll
  void stopEngine() {
    callbacks.close();
    http.close();
    engine.close();
  }

  // ---- HTTP helpers --------------------------------------------------------------------

  /** A request with an optional body and header pairs (a name given twice is sent twice). */
  HttpResponse<Buffer> send(HttpMethod method, String path, Buffer body, String... headers) {
    HttpRequest<Buffer> request = http.request(method, path);
    for (int i = 0; i < headers.length; i += 2) {
      request.headers().add(headers[i], headers[i + 1]);
    }
    return Await.result(body == null ? request.send() : request.sendBuffer(body));
  }

  HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, null);
  }

  HttpResponse<Buffer> json(HttpMethod method, String path, JsonObject body) {
    return send(method, path, body.toBuffer(), "Content-Type", "application/json");
  }

  HttpResponse<Buffer> raw(HttpMethod method, String path, String body) {
    return send(method, path, Buffer.buffer(body), "Content-Type", "application/json");
  }

  HttpResponse<Buffer> invoke(String path, String body) {
    return send(HttpMethod.POST, path, Buffer.buffer(body));
  }

  void deploy(JsonObject deployment) {
    assertStatus(202, json(HttpMethod.POST, "/system/functions", deployment));
  }

  JsonObject status(String name, String namespace) {
    HttpResponse<Buffer> response = get("/system/function/" + name + "?namespace=" + namespace);
    assertStatus(200, response);
    return response.bodyAsJsonObject();
  }

  JsonObject status(String name) {
    HttpResponse<Buffer> response = get("/system/function/" + name);
    assertStatus(200, response);
    return response.bodyAsJsonObject();
  }

  JsonArray list(String query) {
    HttpResponse<Buffer> response = get("/system/functions" + query);
    assertStatus(200, response);
    return response.bodyAsJsonArray();
  }

  void createNamespace(String namespace) {
    assertStatus(201, json(HttpMethod.POST, "/system/namespace/" + namespace,
        new JsonObject().put("name", namespace).put("labels", new JsonObject()).put("annotations", new JsonObject())));
  }

  HttpResponse<Buffer> scale(String name, Object replicas) {
    return json(HttpMethod.POST, "/system/scale-function/" + name,
        new JsonObject().put("serviceName", name).put("replicas", replicas).put("namespace", DEFAULT_NAMESPACE));
  }

  HttpResponse<Buffer> secret(HttpMethod method, JsonObject body) {
    return json(method, "/system/secrets", body);
  }

  static JsonObject secretBody(String name, String namespace, String value) {
    return new JsonObject().put("name", name).put("namespace", namespace).put("value", value);
  }

  static void assertError(HttpResponse<Buffer> response, int status, String messagePart) {
    assertStatus(status, response);
    JsonObject body = response.bodyAsJsonObject();
    assertTrue(body.getString("message", "").contains(messagePart),
        "message of " + body.encode() + " should mention \"" + messagePart + "\"");
  }

  // ---- function CRUD and status --------------------------------------------------------

  @Test
  void a_deployment_round_trips_every_field_through_the_status_and_the_list() {
    JsonObject labels = new JsonObject().put("team", "payments").put("com.openfaas.scale.min", "1")
        .put("empty", "");
    JsonObject annotations = new JsonObject().put("topic", "orders.created").put("note", "spaces and: colons");
    JsonObject vars = envVars("GREETING", "hello there", "MODE", "round-trip");
    JsonObject limits = new JsonObject().put("memory", "5Mi").put("cpu", "100m");
    JsonObject requests = new JsonObject().put("memory", "1Mi").put("cpu", "50m");
    JsonArray constraints = new JsonArray().add("node.platform.os == linux");
    String image = Modules.testGuest("http-env").toString();
    deploy(new JsonObject().put("service", "metadata").put("image", image).put("envProcess", "./handler --flag")
        .put("envVars", vars).put("labels", labels).put("annotations", annotations).put("limits", limits)
        .put("requests", requests).put("constraints", constraints).put("readOnlyRootFilesystem", true)
        .put("secrets", new JsonArray()));

    JsonObject listed = named(list(""), "metadata");
    for (JsonObject status : List.of(status("metadata"), status("metadata", DEFAULT_NAMESPACE), listed)) {
      assertEquals("metadata", status.getString("name"));
      assertEquals(image, status.getString("image"));
      assertEquals(DEFAULT_NAMESPACE, status.getString("namespace"));
      assertEquals("./handler --flag", status.getString("envProcess"));
      assertEquals(vars, status.getJsonObject("envVars"));
      assertEquals(labels, status.getJsonObject("labels"));
      assertEquals(annotations, status.getJsonObject("annotations"));
      assertEquals(limits, status.getJsonObject("limits"));
      assertEquals(requests, status.getJsonObject("requests"));
      assertEquals(constraints, status.getJsonArray("constraints"));
      assertEquals(Boolean.TRUE, status.getBoolean("readOnlyRootFilesystem"));
      assertEquals(0L, status.getLong("invocationCount"));
      assertRfc3339(status.getString("createdAt"));
    }
    assertEquals("hello there\nno secret", invoke("/function/metadata", "").bodyAsString());
  }

  @Test
  void invocation_count_grows_with_every_call() {
    deploy(function("counted", "http-plain"));
    assertEquals(0L, status("counted").getLong("invocationCount"));
    for (int i = 0; i < 3; i++) {
      assertStatus(200, invoke("/function/counted", ""));
    }
    eventually("invocationCount 3", () -> assertEquals(3L, status("counted").getLong("invocationCount")));
    assertEquals(3L, named(list(""), "counted").getLong("invocationCount"));
  }

  @Test
  void replicas_default_to_one_or_to_the_scale_min_label() {
    deploy(function("one-replica", "http-plain"));
    assertEquals(1, status("one-replica").getInteger("replicas"));
    deploy(function("two-replicas", "http-plain")
        .put("labels", new JsonObject().put("com.openfaas.scale.min", "2")));
    assertEquals(2, status("two-replicas").getInteger("replicas"));
    eventually("2 available replicas", () ->
        assertEquals(2, status("two-replicas").getInteger("availableReplicas"), "availableReplicas"));
  }

  @Test
  void scaling_up_sets_the_replicas_and_the_warm_instances() {
    deploy(function("scaled-up", "http-plain"));
    assertStatus(202, scale("scaled-up", 2));
    eventually("2 replicas, 2 available", () -> {
      JsonObject status = status("scaled-up");
      assertEquals(2, status.getInteger("replicas"), "replicas");
      assertEquals(2, status.getInteger("availableReplicas"), "availableReplicas");
    });
  }

  @Test
  void scaling_to_zero_drops_the_warm_instances_and_a_call_still_answers_cold() {
    deploy(function("scaled-down", "http-plain"));
    assertStatus(200, invoke("/function/scaled-down", ""));
    assertStatus(202, scale("scaled-down", 0));
    eventually("0 replicas, 0 available", () -> {
      JsonObject status = status("scaled-down");
      assertEquals(0, status.getInteger("replicas"), "replicas");
      assertEquals(0, status.getInteger("availableReplicas"), "availableReplicas");
    });
    HttpResponse<Buffer> cold = invoke("/function/scaled-down", "");
    assertStatus(200, cold);
    assertEquals("plain body", cold.bodyAsString());
  }

  @Test
  void scaling_an_unknown_function_is_404_and_a_bad_scale_request_400() {
    assertStatus(404, scale("never-deployed", 1));
    assertStatus(400, json(HttpMethod.POST, "/system/scale-function/plain",
        new JsonObject().put("serviceName", "plain").put("namespace", DEFAULT_NAMESPACE)));
    assertStatus(400, scale("plain", -1));
    assertStatus(400, json(HttpMethod.POST, "/system/scale-function/plain",
        new JsonObject().put("serviceName", "echo").put("replicas", 1).put("namespace", DEFAULT_NAMESPACE)));
    assertStatus(400, raw(HttpMethod.POST, "/system/scale-function/plain", "{\"serviceName\": "));
  }

  @Test
  void put_of_an_unknown_function_is_404_and_creates_nothing() {
    assertStatus(404, json(HttpMethod.PUT, "/system/functions", function("never-put", "http-plain")));
    assertStatus(404, get("/system/function/never-put"));
  }

  @Test
  void put_replaces_the_env_vars_and_drops_the_labels_no_longer_sent() {
    deploy(function("updated", "http-env").put("envVars", envVars("GREETING", "before"))
        .put("labels", new JsonObject().put("keep", "yes").put("drop", "soon")));
    assertEquals("before\nno secret", invoke("/function/updated", "").bodyAsString());

    assertStatus(202, json(HttpMethod.PUT, "/system/functions", function("updated", "http-env")
        .put("envVars", envVars("GREETING", "after")).put("labels", new JsonObject().put("keep", "yes"))));
    eventually("the new GREETING", () -> assertEquals("after\nno secret", invoke("/function/updated", "").bodyAsString()));
    JsonObject status = status("updated");
    assertEquals(new JsonObject().put("keep", "yes"), status.getJsonObject("labels"));
    assertEquals(envVars("GREETING", "after"), status.getJsonObject("envVars"));
  }

  @Test
  void delete_answers_202_then_the_function_is_gone_from_status_list_and_invocation() {
    deploy(function("doomed", "http-plain"));
    assertStatus(200, invoke("/function/doomed", ""));
    JsonObject delete = new JsonObject().put("functionName", "doomed").put("namespace", DEFAULT_NAMESPACE);
    assertStatus(202, json(HttpMethod.DELETE, "/system/functions", delete));
    assertStatus(404, get("/system/function/doomed"));
    assertFalse(names(list("")).contains("doomed"));
    assertStatus(404, invoke("/function/doomed", ""));
    assertStatus(404, json(HttpMethod.DELETE, "/system/functions", delete));
    assertStatus(400, raw(HttpMethod.DELETE, "/system/functions", "{\"functionName\": "));
  }

  static Stream<Arguments> malformedDeployments() {
    String image = Modules.testGuest("http-plain").toString();
    return Stream.of(
        Arguments.of("not JSON", "{\"service\": "),
        Arguments.of("not an object", "[\"service\"]"),
        Arguments.of("no service", new JsonObject().put("image", image).encode()),
        Arguments.of("no image", new JsonObject().put("service", "no-image").encode()),
        Arguments.of("bad limits.memory", new JsonObject().put("service", "bad-memory").put("image", image)
            .put("limits", new JsonObject().put("memory", "lots")).encode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedDeployments")
  void a_malformed_deployment_answers_400(String what, String body) {
    assertStatus(400, raw(HttpMethod.POST, "/system/functions", body));
  }

  @Test
  void deploying_an_existing_name_answers_409_and_keeps_the_function() {
    assertStatus(409, json(HttpMethod.POST, "/system/functions", function("echo", "http-plain")));
    assertEquals("application/json", invoke("/function/echo", "").getHeader("Content-Type"));
  }

  @Test
  void a_module_that_cannot_work_answers_422_and_is_not_stored() {
    assertStatus(422, json(HttpMethod.POST, "/system/functions", function("broken", "invalid")));
    assertStatus(404, get("/system/function/broken"));
  }

  @Test
  void unknown_functions_and_namespaces_answer_404() {
    assertStatus(404, get("/system/function/never-deployed"));
    assertStatus(404, get("/system/function/echo?namespace=no-such-namespace"));
    assertStatus(404, get("/system/functions?namespace=no-such-namespace"));
  }

  @Test
  void limits_memory_5Mi_is_a_ceiling_of_80_wasm_pages() {
    // grow is an ABI 1 guest exporting "grow": {"pages":"k"} -> "grew <old> -> <new>" or "refused at <size>".
    JsonObject grow = function("grow", "grow")
        .put("annotations", new JsonObject().put("com.openfaas.abi", "export"));
    deploy(grow.copy().put("limits", new JsonObject().put("memory", "5Mi")));
    createNamespace("roomy");
    deploy(grow.copy().put("namespace", "roomy"));

    String unchanged = invoke("/function/grow", "{\"pages\":\"0\"}").bodyAsString();
    var size = Pattern.compile("grew (\\d+) -> \\1").matcher(unchanged);
    assertTrue(size.matches(), unchanged);
    int start = Integer.parseInt(size.group(1));
    assertTrue(start < 80, "starts below the ceiling: " + start);

    assertEquals("grew " + start + " -> 80", invoke("/function/grow", pages(80 - start)).bodyAsString());
    assertEquals("refused at " + start, invoke("/function/grow", pages(81 - start)).bodyAsString());
    // Without limits.memory the same growth succeeds: the limit made the difference.
    assertEquals("grew " + start + " -> 81", invoke("/function/grow.roomy", pages(81 - start)).bodyAsString());
  }

  static String pages(int pages) {
    return "{\"pages\":\"" + pages + "\"}";
  }

  @Test
  void the_execution_model_annotation_chooses_the_model_and_the_default_is_the_engines() {
    ExecutionModel other = model() == ExecutionModel.JIT ? ExecutionModel.AOT : ExecutionModel.JIT;
    deploy(function("modelled", "http-plain")
        .put("annotations", new JsonObject().put("com.openfaas.execution-model", other.wireName())));
    assertEquals("plain body", invoke("/function/modelled", "").bodyAsString());
    assertEquals(other.wireName(), query("modelled").getString("execution_model"));
    assertEquals(model().wireName(), query("plain").getString("execution_model"));
  }

  JsonObject query(String name) {
    HttpResponse<Buffer> response = json(HttpMethod.POST, "/function/query", new JsonObject().put("function_name", name));
    assertStatus(200, response);
    return response.bodyAsJsonObject();
  }

  @Test
  void the_original_routes_work_beside_over_the_same_store() {
    JsonObject legacy = new JsonObject().put("function_name", "counter")
        .put("function_image", Modules.testGuest("counter").toString());
    assertStatus(200, json(HttpMethod.POST, "/function/deploy", legacy));
    assertEquals(DEFAULT_NAMESPACE, named(list(""), "counter").getString("namespace"));
    assertEquals(DEFAULT_NAMESPACE, named(list("?namespace=" + DEFAULT_NAMESPACE), "counter").getString("namespace"));
    assertEquals("counter", status("counter").getString("name"));
    HttpResponse<Buffer> byUrl = invoke("/function/counter", "{}");
    assertStatus(200, byUrl);
    assertEquals("1", byUrl.bodyAsString());
    HttpResponse<Buffer> byInvoke = json(HttpMethod.POST, "/function/invoke",
        new JsonObject().put("function_name", "counter").put("args", new JsonObject()));
    assertStatus(200, byInvoke);
    assertEquals("1", byInvoke.bodyAsString());

    HttpResponse<Buffer> originalList = get("/function/list");
    assertStatus(200, originalList);
    List<String> original = originalList.bodyAsJsonObject().getJsonArray("functions").stream()
        .map(f -> ((JsonObject) f).getString("function_name")).toList();
    assertTrue(original.containsAll(List.of("echo", "plain", "counter")), original.toString());
  }

  // ---- invocation ----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
  void every_allowed_method_reaches_the_function_with_query_headers_sub_path_and_body(String method) {
    String body = "payload of " + method;
    HttpResponse<Buffer> response = send(HttpMethod.valueOf(method), "/function/echo/a/b?x=1&y=two",
        Buffer.buffer(body), "Content-Type", "text/plain", "X-Test-Header", "hello", "x-lower-case", "low",
        "X-Multi", "one", "X-Multi", "two");
    assertStatus(200, response);
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject echo = response.bodyAsJsonObject();
    assertEquals(method, echo.getString("method"));
    assertEquals("x=1&y=two", echo.getString("query"));
    assertEquals("/a/b", echo.getString("path"));
    assertEquals("text/plain", echo.getString("content_type"));
    assertEquals(Integer.toString(body.length()), echo.getString("content_length"));
    assertEquals(body, echo.getString("body"));

    JsonObject env = echo.getJsonObject("env");
    assertEquals(method, env.getString("REQUEST_METHOD"));
    assertEquals("CGI/1.1", env.getString("GATEWAY_INTERFACE"));
    assertEquals("HTTP/1.1", env.getString("SERVER_PROTOCOL"));
    assertEquals("/function/echo", env.getString("SCRIPT_NAME"));
    assertEquals("hello", env.getString("HTTP_X_TEST_HEADER"));
    assertEquals("low", env.getString("HTTP_X_LOWER_CASE"));
    assertEquals("one, two", env.getString("HTTP_X_MULTI"));
    assertFalse(env.containsKey("HTTP_CONTENT_TYPE"), env.encode());
    assertFalse(env.containsKey("HTTP_CONTENT_LENGTH"), env.encode());
    assertEquals(method, env.getString("Http_Method"));
    assertEquals("x=1&y=two", env.getString("Http_Query"));
    assertEquals("/a/b", env.getString("Http_Path"));
    assertEquals("text/plain", env.getString("Http_ContentType"));
    assertEquals("text/plain", env.getString("Http_Content_Type"));
    assertEquals(Integer.toString(body.length()), env.getString("Http_Content_Length"));
    assertEquals("hello", env.getString("Http_X_Test_Header"));
    assertEquals("low", env.getString("Http_X_Lower_Case"));
    assertEquals("one, two", env.getString("Http_X_Multi"));
  }

  @Test
  void head_answers_the_status_and_headers_only() {
    HttpResponse<Buffer> response = send(HttpMethod.HEAD, "/function/echo/a?x=1", null);
    assertStatus(200, response);
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertNotNull(response.getHeader("X-Call-Id"));
    assertTrue(response.body() == null || response.body().length() == 0, "HEAD has no body");
  }

  @Test
  void other_methods_answer_405() {
    assertStatus(405, send(HttpMethod.TRACE, "/function/echo", null));
    assertStatus(405, send(HttpMethod.TRACE, "/function/echo/sub?x=1", null));
    assertStatus(405, send(HttpMethod.valueOf("PROPFIND"), "/function/echo", null));
    // The engine's own routes keep their methods.
    assertStatus(405, get("/function/deploy"));
    assertStatus(405, get("/function/invoke"));
    assertStatus(405, send(HttpMethod.PUT, "/function/query", Buffer.buffer("{}")));
  }

  @Test
  void a_function_is_reached_as_name_dot_namespace_and_with_any_sub_path() {
    JsonObject bare = invoke("/function/echo", "").bodyAsJsonObject();
    assertEquals("/", bare.getString("path"));
    assertEquals("", bare.getString("query"));
    assertEquals("/", bare.getJsonObject("env").getString("Http_Path"));
    assertEquals("/", invoke("/function/echo.openfaas-fn", "").bodyAsJsonObject().getString("path"));
    JsonObject deep = invoke("/function/echo.openfaas-fn/deep/er/path?z=9&w", "body").bodyAsJsonObject();
    assertEquals("/deep/er/path", deep.getString("path"));
    assertEquals("z=9&w", deep.getString("query"));
    assertEquals("body", deep.getString("body"));
  }

  @Test
  void every_answer_carries_call_id_start_time_and_duration() {
    for (String path : List.of("/function/plain", "/function/failing", "/function/no-such-function")) {
      HttpResponse<Buffer> answer = invoke(path, "");
      assertCallHeaders(answer, path);
    }
    HttpResponse<Buffer> kept = send(HttpMethod.POST, "/function/plain", Buffer.buffer(""), "X-Call-Id", "my-call-42");
    assertEquals("my-call-42", kept.getHeader("X-Call-Id"));
    assertCallHeaders(kept, "with a call id");
  }

  static void assertCallHeaders(HttpResponse<Buffer> answer, String what) {
    String callId = answer.getHeader("X-Call-Id");
    assertTrue(callId != null && !callId.isBlank(), what + ": X-Call-Id");
    String start = answer.getHeader("X-Start-Time");
    assertTrue(start != null && start.matches("\\d+"), what + ": X-Start-Time " + start);
    // Unix nanoseconds: past 10^18 since September 2001, where milliseconds would be 10^12.
    assertTrue(Long.parseLong(start) > 1_000_000_000_000_000_000L, what + ": X-Start-Time in nanoseconds: " + start);
    String duration = answer.getHeader("X-Duration-Seconds");
    assertTrue(duration != null && duration.matches("\\d+(\\.\\d+)?"), what + ": X-Duration-Seconds " + duration);
  }

  @Test
  void a_cgi_location_without_status_reaches_the_caller_as_302() {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/function/redirect", null);
    assertStatus(302, response);
    assertEquals("https://example.invalid/next", response.getHeader("Location"));
    assertEquals("moved", response.bodyAsString());
  }

  @Test
  void a_cgi_status_sets_the_status_headers_and_body() {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/function/teapot", null);
    assertStatus(418, response);
    assertEquals("text/plain", response.getHeader("Content-Type"));
    assertEquals("yes", response.getHeader("X-Guest"));
    assertEquals("short and stout", response.bodyAsString());
  }

  @Test
  void plain_stdout_is_a_200_with_the_default_or_configured_content_type() {
    HttpResponse<Buffer> plain = send(HttpMethod.GET, "/function/plain", null);
    assertStatus(200, plain);
    assertEquals("text/plain; charset=utf-8", plain.getHeader("Content-Type"));
    assertEquals("plain body", plain.bodyAsString());

    deploy(function("csv", "http-plain").put("envVars", envVars("content_type", "text/csv")));
    HttpResponse<Buffer> csv = send(HttpMethod.GET, "/function/csv", null);
    assertStatus(200, csv);
    assertEquals("text/csv", csv.getHeader("Content-Type"));
    assertEquals("plain body", csv.bodyAsString());
  }

  @Test
  void a_non_zero_exit_is_a_500_with_the_stderr_tail() {
    HttpResponse<Buffer> response = invoke("/function/failing", "");
    assertStatus(500, response);
    JsonObject error = response.bodyAsJsonObject();
    assertEquals("guest_exit", error.getString("error"));
    assertTrue(error.getString("message").contains("status 3"), error.encode());
    assertTrue(error.getString("message").contains("something broke"), error.encode());
  }

  @Test
  void invoking_an_unknown_function_answers_404() {
    assertStatus(404, invoke("/function/no-such-function", ""));
    assertStatus(404, invoke("/function/no-such-function/sub?x=1", ""));
    assertStatus(404, invoke("/function/echo.no-such-namespace", ""));
  }

  // ---- namespaces ----------------------------------------------------------------------

  @Test
  void namespaces_are_created_read_listed_and_deleted() {
    createNamespace("team-a");
    assertStatus(409, json(HttpMethod.POST, "/system/namespace/team-a", new JsonObject().put("name", "team-a")));
    HttpResponse<Buffer> read = get("/system/namespace/team-a");
    assertStatus(200, read);
    assertEquals("team-a", read.bodyAsJsonObject().getString("name"));
    assertStatus(404, get("/system/namespace/never-created"));

    List<String> namespaces = namespaces();
    assertTrue(namespaces.containsAll(List.of(DEFAULT_NAMESPACE, "team-a")), namespaces.toString());

    assertStatus(202, send(HttpMethod.DELETE, "/system/namespace/team-a", null));
    assertStatus(404, get("/system/namespace/team-a"));
    assertFalse(namespaces().contains("team-a"));
    assertStatus(404, send(HttpMethod.DELETE, "/system/namespace/team-a", null));
    assertStatus(400, send(HttpMethod.DELETE, "/system/namespace/" + DEFAULT_NAMESPACE, null));
  }

  List<String> namespaces() {
    HttpResponse<Buffer> response = get("/system/namespaces");
    assertStatus(200, response);
    return response.bodyAsJsonArray().stream().map(String.class::cast).toList();
  }

  @Test
  void a_namespace_is_created_by_its_first_deployment() {
    deploy(function("first-comer", "http-plain").put("namespace", "fresh-ns"));
    assertTrue(namespaces().contains("fresh-ns"), namespaces().toString());
    assertStatus(200, get("/system/namespace/fresh-ns"));
    assertEquals("plain body", invoke("/function/first-comer.fresh-ns", "").bodyAsString());
  }

  @Test
  void the_same_name_in_two_namespaces_is_two_functions() {
    createNamespace("team-b");
    deploy(function("greeter", "http-env").put("envVars", envVars("GREETING", "from the default")));
    deploy(function("greeter", "http-env").put("namespace", "team-b").put("envVars", envVars("GREETING", "from b")));

    assertEquals("from the default\nno secret", invoke("/function/greeter", "").bodyAsString());
    assertEquals("from the default\nno secret", invoke("/function/greeter.openfaas-fn", "").bodyAsString());
    assertEquals("from b\nno secret", invoke("/function/greeter.team-b", "").bodyAsString());
    assertEquals("from b\nno secret", invoke("/function/greeter.team-b/sub/path?q=1", "").bodyAsString());

    JsonArray inB = list("?namespace=team-b");
    assertEquals(List.of("greeter"), names(inB));
    assertEquals("team-b", named(inB, "greeter").getString("namespace"));
    assertEquals(envVars("GREETING", "from b"), status("greeter", "team-b").getJsonObject("envVars"));
    assertEquals(DEFAULT_NAMESPACE, named(list(""), "greeter").getString("namespace"));
    assertEquals(envVars("GREETING", "from the default"), status("greeter").getJsonObject("envVars"));

    HttpResponse<Buffer> accepted = send(HttpMethod.POST, "/async-function/greeter.team-b", Buffer.buffer(""),
        "X-Callback-Url", callbacks.url());
    assertStatus(202, accepted);
    assertEquals("from b\nno secret", callbacks.await(accepted.getHeader("X-Call-Id")).body().toString());
  }

  @Test
  void a_namespace_holding_a_function_cannot_be_deleted_until_it_is_empty() {
    createNamespace("team-c");
    deploy(function("resident", "http-plain").put("namespace", "team-c"));
    assertStatus(409, send(HttpMethod.DELETE, "/system/namespace/team-c", null));
    assertEquals("plain body", invoke("/function/resident.team-c", "").bodyAsString());
    assertStatus(202, json(HttpMethod.DELETE, "/system/functions",
        new JsonObject().put("functionName", "resident").put("namespace", "team-c")));
    assertStatus(202, send(HttpMethod.DELETE, "/system/namespace/team-c", null));
    assertStatus(404, get("/system/namespace/team-c"));
  }

  // ---- secrets -------------------------------------------------------------------------

  @Test
  void secrets_are_created_updated_listed_without_values_and_deleted() {
    String value = "s3cret-value-that-must-not-leak";
    assertStatus(201, secret(HttpMethod.POST, secretBody("crud-secret", DEFAULT_NAMESPACE, value)));
    assertStatus(409, secret(HttpMethod.POST, secretBody("crud-secret", DEFAULT_NAMESPACE, "again")));

    HttpResponse<Buffer> listed = get("/system/secrets");
    assertStatus(200, listed);
    assertFalse(listed.bodyAsString().contains(value), listed.bodyAsString());
    JsonArray secrets = listed.bodyAsJsonArray();
    assertTrue(secrets.contains(new JsonObject().put("name", "crud-secret").put("namespace", DEFAULT_NAMESPACE)),
        secrets.encode());
    for (Object secret : secrets) {
      assertTrue(Set.of("name", "namespace").containsAll(((JsonObject) secret).fieldNames()), secrets.encode());
    }
    assertEquals(secrets, get("/system/secrets?namespace=" + DEFAULT_NAMESPACE).bodyAsJsonArray());

    assertStatus(202, secret(HttpMethod.PUT, secretBody("crud-secret", DEFAULT_NAMESPACE, "updated")));
    assertStatus(404, secret(HttpMethod.PUT, secretBody("never-created", DEFAULT_NAMESPACE, "x")));
    JsonObject delete = new JsonObject().put("name", "crud-secret").put("namespace", DEFAULT_NAMESPACE);
    assertStatus(202, secret(HttpMethod.DELETE, delete));
    assertStatus(404, secret(HttpMethod.DELETE, delete));
    assertFalse(get("/system/secrets").bodyAsJsonArray().contains(delete));
  }

  @Test
  void only_a_function_naming_a_secret_can_read_it_and_it_cannot_be_deleted_while_named() {
    assertStatus(201, secret(HttpMethod.POST, secretBody("api-key", DEFAULT_NAMESPACE, "k3y-value")));
    deploy(function("keyholder", "http-env").put("secrets", new JsonArray().add("api-key"))
        .put("envVars", envVars("GREETING", "hi", "SECRET_NAME", "api-key")));
    deploy(function("snoop", "http-env").put("envVars", envVars("GREETING", "hi", "SECRET_NAME", "api-key")));

    assertEquals("hi\nk3y-value", invoke("/function/keyholder", "").bodyAsString());
    assertEquals("hi\nno secret", invoke("/function/snoop", "").bodyAsString());
    assertEquals(new JsonArray().add("api-key"), status("keyholder").getJsonArray("secrets"));

    JsonObject delete = new JsonObject().put("name", "api-key").put("namespace", DEFAULT_NAMESPACE);
    assertStatus(409, secret(HttpMethod.DELETE, delete));
    assertEquals("hi\nk3y-value", invoke("/function/keyholder", "").bodyAsString());
  }

  @Test
  void an_updated_secret_reaches_the_function_that_names_it() {
    assertStatus(201, secret(HttpMethod.POST, secretBody("rotating", DEFAULT_NAMESPACE, "first")));
    deploy(function("rotator", "http-env").put("secrets", new JsonArray().add("rotating"))
        .put("envVars", envVars("GREETING", "hi", "SECRET_NAME", "rotating")));
    assertEquals("hi\nfirst", invoke("/function/rotator", "").bodyAsString());
    assertStatus(202, secret(HttpMethod.PUT, secretBody("rotating", DEFAULT_NAMESPACE, "second")));
    eventually("the new secret value", () -> assertEquals("hi\nsecond", invoke("/function/rotator", "").bodyAsString()));
  }

  @Test
  void a_raw_value_reaches_the_guest_byte_for_byte() {
    byte[] bytes = {0, 1, 2, (byte) 0x80, (byte) 0xfe, (byte) 0xff, '\n', 'z'};
    assertStatus(201, secret(HttpMethod.POST, new JsonObject().put("name", "raw-bytes").put("namespace", DEFAULT_NAMESPACE)
        .put("rawValue", Base64.getEncoder().encodeToString(bytes))));
    deploy(function("raw-reader", "http-env").put("secrets", new JsonArray().add("raw-bytes"))
        .put("envVars", envVars("GREETING", "raw", "SECRET_NAME", "raw-bytes")));
    Buffer expected = Buffer.buffer("raw\n".getBytes(StandardCharsets.UTF_8)).appendBytes(bytes);
    HttpResponse<Buffer> response = invoke("/function/raw-reader", "");
    assertStatus(200, response);
    assertArrayEquals(expected.getBytes(), response.body().getBytes());
  }

  @Test
  void an_unused_secret_is_deleted_with_202() {
    assertStatus(201, secret(HttpMethod.POST, secretBody("unused-secret", DEFAULT_NAMESPACE, "x")));
    assertStatus(202, secret(HttpMethod.DELETE, new JsonObject().put("name", "unused-secret").put("namespace", DEFAULT_NAMESPACE)));
  }

  @Test
  void a_deployment_naming_a_secret_missing_from_its_namespace_answers_400() {
    assertStatus(400, json(HttpMethod.POST, "/system/functions",
        function("hopeful", "http-env").put("secrets", new JsonArray().add("no-such-secret"))));
    assertStatus(404, get("/system/function/hopeful"));

    createNamespace("vault");
    assertStatus(201, secret(HttpMethod.POST, secretBody("elsewhere", "vault", "v")));
    JsonArray inVault = get("/system/secrets?namespace=vault").bodyAsJsonArray();
    assertEquals(new JsonArray().add(new JsonObject().put("name", "elsewhere").put("namespace", "vault")), inVault);
    assertFalse(get("/system/secrets").bodyAsString().contains("elsewhere"));
    assertStatus(400, json(HttpMethod.POST, "/system/functions",
        function("outsider", "http-env").put("secrets", new JsonArray().add("elsewhere"))));

    // A namespace holding a secret is not empty either.
    assertStatus(409, send(HttpMethod.DELETE, "/system/namespace/vault", null));
    assertStatus(202, secret(HttpMethod.DELETE, new JsonObject().put("name", "elsewhere").put("namespace", "vault")));
    assertStatus(202, send(HttpMethod.DELETE, "/system/namespace/vault", null));
  }

  // ---- logs ----------------------------------------------------------------------------

  List<JsonObject> logs(String query) {
    HttpResponse<Buffer> response = get("/system/logs?" + query);
    assertStatus(200, response);
    return ndjson(response.bodyAsString());
  }

  @Test
  void stderr_lines_appear_in_the_logs_as_ndjson_with_five_fields() {
    deploy(function("chatty", "http-plain"));
    assertEquals("plain body", invoke("/function/chatty", "").bodyAsString());
    eventually("both stderr lines in the log", () ->
        assertEquals(List.of("log line one", "log line two"), guestTexts(logs("name=chatty"))));
    for (JsonObject line : logs("name=chatty&namespace=" + DEFAULT_NAMESPACE)) {
      assertEquals(Set.of("name", "namespace", "instance", "timestamp", "text"), line.fieldNames(), line.encode());
      assertEquals("chatty", line.getString("name"));
      assertEquals(DEFAULT_NAMESPACE, line.getString("namespace"));
      assertTrue(line.getString("instance").matches("chatty-\\d+|engine"), line.encode());
      assertRfc3339(line.getString("timestamp"));
    }
    assertEquals(List.of("log line two"), guestTexts(logs("name=chatty&tail=1")));
    String anHourAgo = Instant.now().minus(Duration.ofHours(1)).toString();
    assertEquals(List.of("log line one", "log line two"), guestTexts(logs("name=chatty&since=" + anHourAgo)));
    String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();
    assertEquals(List.of(), logs("name=chatty&since=" + tomorrow));
  }

  @Test
  void tail_keeps_the_newest_lines_in_order() {
    deploy(function("slow-log", "http-slow-stderr"));
    assertEquals("done", invoke("/function/slow-log", "").bodyAsString());
    eventually("50 lines in the log", () -> assertEquals(50, guestTexts(logs("name=slow-log")).size()));
    assertEquals(List.of("line 50"), guestTexts(logs("name=slow-log&tail=1")));
    assertEquals(List.of("line 48", "line 49", "line 50"), guestTexts(logs("name=slow-log&tail=3")));
    assertEquals("line 1", guestTexts(logs("name=slow-log")).getFirst());
  }

  @Test
  void a_failed_call_leaves_the_guests_lines_and_an_engine_line() {
    deploy(function("logged-failure", "http-fail"));
    assertStatus(500, invoke("/function/logged-failure", ""));
    eventually("the guest's line and the engine's", () -> {
      List<JsonObject> lines = logs("name=logged-failure");
      assertTrue(lines.stream().anyMatch(line -> "something broke".equals(line.getString("text"))
          && line.getString("instance").matches("logged-failure-\\d+")), lines.toString());
      assertTrue(lines.stream().anyMatch(line -> "engine".equals(line.getString("instance"))), lines.toString());
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "namespace=openfaas-fn", "name=plain&tail=abc", "name=plain&tail=1.5",
      "name=plain&since=yesterday", "name=plain&since=2024-13-45T99:00:00Z"})
  void a_bad_log_query_answers_422(String query) {
    assertStatus(422, get("/system/logs?" + query));
  }

  @Test
  void logs_of_an_unknown_function_answer_404() {
    assertStatus(404, get("/system/logs?name=no-such-function"));
    assertStatus(404, get("/system/logs?name=plain&namespace=no-such-namespace"));
  }

  @Test
  void follow_streams_a_line_produced_after_the_request_started() {
    deploy(function("follower", "http-plain"));
    HttpClientAgent client = vertx.createHttpClient();
    try {
      Promise<JsonObject> arrived = Promise.promise();
      StringBuilder received = new StringBuilder();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(engine.port())
          .setURI("/system/logs?name=follower&follow=true");
      // The data handler is set on the event loop as the response arrives, so no chunk is missed.
      Future<HttpClientResponse> opened = client.request(options).compose(request -> request.send()).map(response -> {
        response.handler(chunk -> {
          received.append(chunk.toString(StandardCharsets.UTF_8));
          int end;
          while ((end = received.indexOf("\n")) >= 0) {
            String line = received.substring(0, end);
            received.delete(0, end + 1);
            if (!line.isBlank() && line.contains("log line one")) {
              arrived.tryComplete(new JsonObject(line));
            }
          }
        });
        return response;
      });
      HttpClientResponse response = Await.result(opened);
      assertEquals(200, response.statusCode());

      assertEquals("plain body", invoke("/function/follower", "").bodyAsString());
      JsonObject line = Await.result(arrived.future());
      assertEquals("follower", line.getString("name"));
      assertEquals(DEFAULT_NAMESPACE, line.getString("namespace"));
      assertEquals("log line one", line.getString("text"));
      response.request().connection().close();
    } finally {
      Await.result(client.close());
    }
  }

  // ---- async ---------------------------------------------------------------------------

  @Test
  void an_async_call_answers_202_and_posts_the_output_to_the_callback() {
    HttpResponse<Buffer> accepted = send(HttpMethod.POST, "/async-function/echo/p?q=1", Buffer.buffer("hello async"),
        "X-Callback-Url", callbacks.url(), "Content-Type", "text/plain");
    assertStatus(202, accepted);
    String callId = accepted.getHeader("X-Call-Id");
    assertTrue(callId != null && !callId.isBlank(), "X-Call-Id");

    CallbackServer.Callback result = callbacks.await(callId);
    assertEquals(callId, result.header("X-Call-Id"));
    assertEquals("200", result.header("X-Function-Status"));
    assertEquals("application/json", result.header("Content-Type"));
    JsonObject echo = new JsonObject(result.body());
    assertEquals("POST", echo.getString("method"));
    assertEquals("/p", echo.getString("path"));
    assertEquals("q=1", echo.getString("query"));
    assertEquals("hello async", echo.getString("body"));
  }

  @Test
  void an_async_call_keeps_the_call_id_it_was_given() {
    HttpResponse<Buffer> accepted = send(HttpMethod.POST, "/async-function/plain", Buffer.buffer(""),
        "X-Callback-Url", callbacks.url(), "X-Call-Id", "async-call-7");
    assertStatus(202, accepted);
    assertEquals("async-call-7", accepted.getHeader("X-Call-Id"));
    CallbackServer.Callback result = callbacks.await("async-call-7");
    assertEquals("200", result.header("X-Function-Status"));
    assertEquals("plain body", result.body().toString());
  }

  @Test
  void an_async_call_of_a_failing_function_calls_back_with_500() {
    HttpResponse<Buffer> accepted = send(HttpMethod.POST, "/async-function/failing", Buffer.buffer(""),
        "X-Callback-Url", callbacks.url());
    assertStatus(202, accepted);
    CallbackServer.Callback result = callbacks.await(accepted.getHeader("X-Call-Id"));
    assertEquals("500", result.header("X-Function-Status"));
    assertTrue(result.body().toString().contains("something broke"), result.body().toString());
  }

  @Test
  void async_calls_refuse_unknown_functions_bad_callbacks_and_other_methods() {
    assertStatus(404, send(HttpMethod.POST, "/async-function/no-such-function", Buffer.buffer(""),
        "X-Callback-Url", callbacks.url()));
    assertStatus(400, send(HttpMethod.POST, "/async-function/plain", Buffer.buffer(""), "X-Callback-Url", "not a url"));
    assertStatus(400, send(HttpMethod.POST, "/async-function/plain", Buffer.buffer(""),
        "X-Callback-Url", "ftp://127.0.0.1/results"));
    assertStatus(405, get("/async-function/plain"));
  }

  // ---- health and info -----------------------------------------------------------------

  @Test
  void healthz_answers_200_to_get_and_head() {
    assertStatus(200, get("/healthz"));
    assertStatus(200, send(HttpMethod.HEAD, "/healthz", null));
  }

  @Test
  void info_has_the_flat_provider_shape() {
    HttpResponse<Buffer> response = get("/system/info");
    assertStatus(200, response);
    JsonObject info = response.bodyAsJsonObject();
    assertEquals("wasm-engine", info.getString("provider"));
    assertEquals("wasm", info.getString("orchestration"));
    JsonObject version = info.getJsonObject("version");
    assertNotNull(version, info.encode());
    assertTrue(version.getValue("release") instanceof String release && !release.isBlank(), info.encode());
    assertTrue(version.getValue("sha") instanceof String sha && !sha.isBlank(), info.encode());
  }
}
