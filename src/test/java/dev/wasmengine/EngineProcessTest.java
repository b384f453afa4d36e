package dev.wasmengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.EngineProcess;
import dev.wasmengine.testing.ExampleFunctions;
import dev.wasmengine.testing.ExampleFunctions.Example;
import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as an operator runs it: a real JVM started like bin/wasm-engine, spoken to over
 * real HTTP, stopped with real signals.
 */
class EngineProcessTest {
  private static final Duration START_DEADLINE = Duration.ofSeconds(120);
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(120);
  private static final int SIGTERM_EXIT = 128 + 15;
  private static final String DOCUMENTED_AUTH_OUTPUT = "{\"status\":\"403\",\"body\":\"<html><h1>Auth Forbidden!</h1>"
      + "<p>hash c5187dd86a648a819f527c7a8a4f7bf4 secret 12345</p></html>\"}";

  private final List<EngineProcess> processes = new ArrayList<>();

  @AfterEach
  void killEveryEngine() {
    for (EngineProcess process : processes) {
      process.close();
    }
  }

  private EngineProcess start(boolean jit, String... args) {
    EngineProcess process = EngineProcess.start(List.of(args), jit);
    processes.add(process);
    return process;
  }

  @Test
  void the_engine_starts_with_the_examples_preloaded_and_the_jit_on(@TempDir Path data) {
    EngineProcess engine = start(true, "--port", "0", "--data-dir", data.toString());
    engine.awaitListening(START_DEADLINE);

    HttpResponse<String> health = engine.get("/healthz");
    assertEquals(200, health.statusCode(), health.body());

    HttpResponse<String> list = engine.get("/function/list");
    assertEquals(200, list.statusCode(), list.body());
    List<String> listed = names(list.body());
    for (Example example : ExampleFunctions.all()) {
      assertTrue(listed.contains(example.name()), example.name() + " is not preloaded; listed: " + listed);
    }

    HttpResponse<String> invoked = engine.post("/function/invoke",
        "{\"function_name\":\"authentication\",\"args\":{\"arg_uri\":\"yes\",\"arg_body\":\"yes\",\"arg_secret\":\"12345\"}}");
    assertEquals(200, invoked.statusCode(), invoked.body());
    assertEquals(DOCUMENTED_AUTH_OUTPUT, invoked.body());

    HttpResponse<String> metrics = engine.get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("wasmengine_invocations_total{function=\"authentication\",outcome=\"success\"}"),
        "the engine's meters");
    assertTrue(metrics.body().contains("vertx_http_server_requests_total"), "Vert.x's own meters");

    int exit = engine.stop();
    String output = engine.output();
    assertEquals(SIGTERM_EXIT, exit, "the engine should end on SIGTERM after its shutdown hook; output:\n" + output);
    assertFalse(output.contains("fallback runtime"), "GraalWasm ran interpreted:\n" + output);
    assertFalse(output.contains("WARNING: The polyglot engine"), "the polyglot engine warned:\n" + output);
  }

  @Test
  void a_restarted_engine_keeps_every_function(@TempDir Path data) {
    EngineProcess first = start(true, "--port", "0", "--data-dir", data.toString(), "--preload", "none");
    first.awaitListening(START_DEADLINE);

    HttpResponse<String> gcd = first.post("/function/deploy", new JsonObject()
        .put("function_name", "gcd")
        .put("function_image", Modules.example("gcd").toString())
        .put("execution_model", "aot")
        .encode());
    assertEquals(200, gcd.statusCode(), gcd.body());
    assertEquals("aot", new JsonObject(gcd.body()).getString("execution_model"), gcd.body());
    HttpResponse<String> hello = first.post("/function/deploy", new JsonObject()
        .put("function_name", "hello")
        .put("function_image", Modules.example("hello").toString())
        .encode());
    assertEquals(200, hello.statusCode(), hello.body());
    assertEquals("jit", new JsonObject(hello.body()).getString("execution_model"), hello.body());
    first.kill();

    EngineProcess second = start(true, "--port", "0", "--data-dir", data.toString(), "--preload", "none");
    second.awaitListening(START_DEADLINE);
    HttpResponse<String> list = second.get("/function/list");
    assertEquals(200, list.statusCode(), list.body());
    Map<String, String> models = models(list.body());
    assertEquals(Map.of("gcd", "aot", "hello", "jit"), models, "functions after the restart: " + list.body()
        + "\noutput of the restarted engine:\n" + second.output());

    HttpResponse<String> six = second.post("/function/invoke",
        "{\"function_name\":\"gcd\",\"args\":{\"a\":\"12\",\"b\":\"18\"}}");
    assertEquals(200, six.statusCode(), six.body());
    assertEquals("6", six.body());
    HttpResponse<String> greeting = second.post("/function/invoke",
        "{\"function_name\":\"hello\",\"args\":{\"name\":\"edge\"}}");
    assertEquals(200, greeting.statusCode(), greeting.body());
    assertEquals("Hello, edge!", greeting.body());
  }

  @Test
  void without_the_jit_the_engine_refuses_to_start_and_says_why(@TempDir Path data) {
    EngineProcess engine = start(false, "--port", "0", "--data-dir", data.toString(), "--preload", "none");
    int exit = engine.awaitExit(EXIT_DEADLINE);
    String output = engine.output();
    assertEquals(3, exit, "exit code; output:\n" + output);
    assertTrue(output.contains("GraalWasm has no JIT"), "the reason is missing from the output:\n" + output);
    assertFalse(output.contains("fallback runtime that does not support runtime compilation"),
        "GraalWasm warned instead of the engine refusing:\n" + output);
  }

  @Test
  void a_bad_option_stops_the_engine_with_a_clear_message(@TempDir Path data) throws IOException {
    assertConfigError("http.port", "--port", "notaport", "--data-dir", data.toString());
    assertConfigError("unknown option --bogus", "--bogus", "1", "--data-dir", data.toString());

    Path config = data.resolve("config.json");
    Files.writeString(config, "{\"http\": {\"prot\": 1}}");
    assertConfigError("unknown config key http.prot", "--config", config.toString(), "--data-dir", data.toString());
  }

  private void assertConfigError(String expected, String... args) {
    EngineProcess engine = start(true, args);
    int exit = engine.awaitExit(EXIT_DEADLINE);
    String output = engine.output();
    assertEquals(2, exit, "exit code for " + List.of(args) + "; output:\n" + output);
    assertTrue(output.contains(expected), "output for " + List.of(args) + " should contain \"" + expected + "\":\n" + output);
  }

  private static List<String> names(String listBody) {
    return functions(listBody).stream().map(f -> f.getString("function_name")).toList();
  }

  private static Map<String, String> models(String listBody) {
    return functions(listBody).stream().collect(Collectors.toMap(
        f -> f.getString("function_name"), f -> f.getString("execution_model")));
  }

  private static List<JsonObject> functions(String listBody) {
    JsonArray functions = new JsonObject(listBody).getJsonArray("functions");
    List<JsonObject> all = new ArrayList<>();
    for (int i = 0; i < functions.size(); i++) {
      all.add(functions.getJsonObject(i));
    }
    return all;
  }
}
