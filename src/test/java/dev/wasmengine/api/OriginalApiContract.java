package dev.wasmengine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.error.ErrorKind;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.ExampleFunctions;
import dev.wasmengine.testing.ExampleFunctions.Example;
import dev.wasmengine.testing.ExampleFunctions.Sample;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/**
 * The original WasmEngine's REST API, over real HTTP, against a real engine whose functions run
 * on one execution model (a subclass per model). Every example is deployed once at the start.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OriginalApiContract {
  static final String DOCUMENTED_AUTH_OUTPUT = "{\"status\":\"403\",\"body\":\"<html><h1>Auth Forbidden!</h1>"
      + "<p>hash c5187dd86a648a819f527c7a8a4f7bf4 secret 12345</p></html>\"}";

  Path dataDir;
  Path scratch;
  RunningEngine engine;

  abstract ExecutionModel model();

  @BeforeAll
  void startEngineWithEveryExample(Vertx vertx, @TempDir Path dataDir, @TempDir Path scratch) {
    this.dataDir = dataDir;
    this.scratch = scratch;
    engine = RunningEngine.start(vertx, dataDir, model());
    for (Example example : ExampleFunctions.all()) {
      HttpResponse<Buffer> response = engine.deploy(example.name(), Modules.example(example.name()), example.wasiCap());
      assertEquals(200, response.statusCode(), example.name() + ": " + response.bodyAsString());
    }
  }

  @AfterAll
  void stopEngine() {
    engine.close();
  }

  Stream<Example> examples() {
    return ExampleFunctions.all().stream();
  }

  static void assertError(HttpResponse<Buffer> response, int status, String error, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(error, body.getString("error"), body.encode());
    assertTrue(body.getString("message").contains(messagePart), "message \"" + body.getString("message")
        + "\" should mention \"" + messagePart + "\"");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void every_example_answers_its_documented_outputs_over_http(Example example) {
    for (Sample sample : example.samples()) {
      HttpResponse<Buffer> response = engine.invoke(example.name(), sample.args());
      assertEquals(200, response.statusCode(), response.bodyAsString());
      assertEquals(sample.output(), response.bodyAsString(), example.name() + " with " + sample.args());
      assertEquals("text/plain; charset=utf-8", response.getHeader("Content-Type"));
    }
  }

  @Test
  void the_documented_authentication_call_answers_the_documented_output() {
    JsonObject args = new JsonObject().put("arg_uri", "yes").put("arg_body", "yes").put("arg_secret", "12345");
    assertEquals(DOCUMENTED_AUTH_OUTPUT, engine.invoke("authentication", args).bodyAsString());
    assertEquals(DOCUMENTED_AUTH_OUTPUT, engine.invoke("authentication-wasi", args).bodyAsString());
  }

  @ParameterizedTest
  @MethodSource("examples")
  void every_deployed_function_is_queryable_with_its_record(Example example) {
    HttpResponse<Buffer> response = engine.post("/function/query", new JsonObject().put("function_name", example.name()));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject record = response.bodyAsJsonObject();
    assertEquals(example.name(), record.getString("function_name"));
    assertEquals(example.wasiCap(), record.getBoolean("wasi_cap"));
    assertEquals(model().wireName(), record.getString("execution_model"));
    byte[] module = Modules.bytes(Modules.example(example.name()));
    assertEquals(ModuleDigest.of(module).toString(), record.getString("digest"));
    assertEquals(module.length, record.getLong("module_size"));
  }

  @Test
  void the_list_holds_every_deployed_function_sorted_by_name() {
    HttpResponse<Buffer> response = engine.get("/function/list");
    assertEquals(200, response.statusCode());
    JsonArray functions = response.bodyAsJsonObject().getJsonArray("functions");
    List<String> names = functions.stream().map(f -> ((JsonObject) f).getString("function_name")).toList();
    List<String> expected = ExampleFunctions.all().stream().map(Example::name).sorted().toList();
    assertTrue(names.containsAll(expected), names.toString());
    assertEquals(names.stream().sorted().toList(), names);
  }

  @Test
  void another_verticle_invokes_a_function_over_the_event_bus() {
    EventBus bus = engine.vertx().eventBus();
    Buffer args = Buffer.buffer(new JsonObject().put("a", "12").put("b", "18").encode());
    DeliveryOptions gcd = new DeliveryOptions().addHeader(Addresses.FUNCTION_HEADER, "gcd");
    var reply = Await.result(bus.<Buffer>request(Addresses.INVOKE, args, gcd));
    assertEquals("6", reply.body().toString());
    assertEquals("200", reply.headers().get(Addresses.STATUS_HEADER));
    ReplyException unknown = assertThrows(ReplyException.class, () -> Await.result(bus.request(Addresses.INVOKE,
        Buffer.buffer("{}"), new DeliveryOptions().addHeader(Addresses.FUNCTION_HEADER, "no-such-function"))));
    assertEquals(ErrorKind.NOT_FOUND.code(), unknown.failureCode());
    ReplyException noFunction = assertThrows(ReplyException.class, () -> Await.result(bus.request(Addresses.INVOKE, args)));
    assertEquals(ErrorKind.BAD_REQUEST.code(), noFunction.failureCode());
    ReplyException notABuffer = assertThrows(ReplyException.class, () -> Await.result(
        bus.request(Addresses.INVOKE, new JsonObject().put("a", "1"), gcd)));
    assertEquals(ErrorKind.BAD_REQUEST.code(), notABuffer.failureCode());
  }

  @Test
  void a_command_that_fails_answers_500_with_its_status_and_stderr() {
    assertError(engine.invoke("fibonacci", new JsonObject().put("n", "x")), 500, "guest_exit", "status 1");
  }

  @Test
  void a_trap_answers_500_with_the_trap_message_and_the_engine_keeps_serving() {
    assertEquals(200, engine.deploy("trap", Modules.testGuest("trap"), false).statusCode());
    assertError(engine.invoke("trap", new JsonObject()), 500, "trap", "unreachable");
    assertEquals(200, engine.deploy("recurse", Modules.testGuest("recurse"), false).statusCode());
    assertError(engine.invoke("recurse", new JsonObject()), 500, "trap", "call stack exhausted");
    assertEquals(200, engine.get("/healthz").statusCode());
    assertEquals("6", engine.invoke("gcd", new JsonObject().put("a", "12").put("b", "18")).bodyAsString());
  }

  @Test
  void unknown_functions_answer_404() {
    JsonObject unknown = new JsonObject().put("function_name", "no-such-function");
    assertError(engine.post("/function/invoke", unknown), 404, "not_found", "no-such-function");
    assertError(engine.post("/function/query", unknown), 404, "not_found", "no-such-function");
    assertError(engine.post("/function/delete", unknown), 404, "not_found", "no-such-function");
  }

  @Test
  void deploying_a_taken_name_answers_409_and_keeps_the_deployed_function() {
    HttpResponse<Buffer> again = engine.deploy("gcd", Modules.example("echo-string"), false);
    assertError(again, 409, "conflict", "already exists");
    assertEquals("6", engine.invoke("gcd", new JsonObject().put("a", "12").put("b", "18")).bodyAsString());
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("/function/deploy", "", "got nothing"),
        Arguments.of("/function/deploy", "[1, 2]", "must be a JSON object"),
        Arguments.of("/function/deploy", "{\"function_name\": ", "not valid JSON"),
        Arguments.of("/function/deploy", "{}", "missing field function_name"),
        Arguments.of("/function/deploy", "{\"function_name\": 5}", "function_name must be a string"),
        Arguments.of("/function/deploy", "{\"function_name\": \"../etc\", \"function_image\": \"x.wasm\"}",
            "function_name must be 1 to 63 characters"),
        Arguments.of("/function/deploy", "{\"function_name\": \"f\"}", "missing field function_image"),
        Arguments.of("/function/deploy", "{\"function_name\": \"f\", \"function_image\": \"x.wasm\", \"wasi_cap\": \"yes\"}",
            "wasi_cap must be true or false"),
        Arguments.of("/function/deploy",
            "{\"function_name\": \"f\", \"function_image\": \"x.wasm\", \"execution_model\": \"turbo\"}",
            "execution_model must be one of [jit, aot]"),
        Arguments.of("/function/invoke", "{\"function_name\": \"gcd\", \"args\": {\"a\": 12}}", "args.a must be a string"),
        Arguments.of("/function/invoke", "{\"function_name\": \"gcd\", \"args\": [\"a\"]}", "args must be an object of strings"),
        Arguments.of("/function/query", "{\"name\": \"gcd\"}", "missing field function_name"),
        Arguments.of("/function/delete", "{\"function_name\": null}", "missing field function_name"));
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void a_malformed_request_answers_400_naming_what_is_wrong(String path, String body, String messagePart) {
    assertError(engine.postRaw(path, body), 400, "bad_request", messagePart);
  }

  @Test
  void modules_that_cannot_work_are_refused_with_422_and_nothing_is_stored() throws IOException {
    Path garbage = Files.writeString(scratch.resolve("garbage.wasm"), "this is not a module");
    assertError(engine.deploy("garbage", garbage, null), 422, "malformed_module", "not a WebAssembly module");
    assertError(engine.deploy("invalid", Modules.testGuest("invalid"), false), 422, "invalid_module", "invalid");
    assertError(engine.deploy("needs-env", Modules.testGuest("needs-env"), false), 422, "link_error", "env");
    assertError(engine.deploy("wrong-type", Modules.testGuest("wrong-type"), false), 422, "invalid_module",
        "(i32 i32) -> (i32 i32)");
    assertError(engine.deploy("hello-as-abi1", Modules.example("hello"), false), 422, "invalid_module",
        "no function named hello-as-abi1");
    JsonArray functions = engine.get("/function/list").bodyAsJsonObject().getJsonArray("functions");
    for (Object function : functions) {
      String name = ((JsonObject) function).getString("function_name");
      assertFalse(List.of("garbage", "invalid", "needs-env", "wrong-type", "hello-as-abi1").contains(name), name);
    }
    assertFalse(Files.exists(dataDir.resolve("functions").resolve("garbage.json")));
  }

  @Test
  void images_that_cannot_be_found_or_read_say_so() {
    assertError(engine.deploy("missing", scratch.resolve("missing.wasm"), false), 404, "not_found", "does not exist");
    assertError(engine.post("/function/deploy", new JsonObject().put("function_name", "remote")
        .put("function_image", "registry.example:5000/Fn/Remote:v1")), 400, "bad_request", "not a valid image reference");
    assertError(engine.post("/function/deploy", new JsonObject().put("function_name", "untagged")
        .put("function_image", "oci:" + Modules.ociLayout("gcd", "image") + ":v9")), 404, "not_found", "no image tagged v9");
  }

  @ParameterizedTest
  @MethodSource("layoutForms")
  void a_function_deploys_from_an_oci_image_layout(String form) {
    // A WASI example, since ABI 1 would need the export to be named like this new function.
    String name = "add-one-" + form;
    JsonObject request = new JsonObject()
        .put("function_name", name)
        .put("function_image", "oci:" + Modules.ociLayout("add_one", form) + ":v1");
    HttpResponse<Buffer> response = engine.post("/function/deploy", request);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(ModuleDigest.of(Modules.bytes(Modules.example("add_one"))).toString(),
        response.bodyAsJsonObject().getString("digest"));
    assertTrue(response.bodyAsJsonObject().getBoolean("wasi_cap"), "detected as a WASI command");
    assertEquals("42", engine.invoke(name, new JsonObject().put("n", "41")).bodyAsString());
  }

  static Stream<String> layoutForms() {
    return Stream.of("image", "artifact");
  }

  @Test
  void a_multi_megabyte_module_with_debug_sections_deploys_and_runs() {
    Path large = Modules.largeModule("add_one-debug");
    HttpResponse<Buffer> deployed = engine.deploy("add-one-debug", large, null);
    assertEquals(200, deployed.statusCode(), deployed.bodyAsString());
    assertTrue(deployed.bodyAsJsonObject().getLong("module_size") > 2_000_000, deployed.bodyAsString());
    assertEquals("42", engine.invoke("add-one-debug", new JsonObject().put("n", "41")).bodyAsString());
  }

  @Test
  void without_wasi_cap_the_abi_is_detected_from_the_module() {
    HttpResponse<Buffer> wasi = engine.deploy("hello-detected", Modules.example("hello"), null);
    assertEquals(200, wasi.statusCode(), wasi.bodyAsString());
    assertTrue(wasi.bodyAsJsonObject().getBoolean("wasi_cap"));
    assertEquals("Hello, world!", engine.invoke("hello-detected", new JsonObject()).bodyAsString());
  }

  @Test
  void a_deleted_function_is_gone_and_its_name_can_be_deployed_again() {
    assertEquals(200, engine.deploy("short-lived", Modules.example("add_one"), true).statusCode());
    HttpResponse<Buffer> deleted = engine.post("/function/delete", new JsonObject().put("function_name", "short-lived"));
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals("short-lived", deleted.bodyAsJsonObject().getString("function_name"));
    assertError(engine.invoke("short-lived", new JsonObject().put("n", "1")), 404, "not_found", "short-lived");
    assertEquals(200, engine.deploy("short-lived", Modules.example("hello"), true).statusCode());
    assertEquals("Hello, again!", engine.invoke("short-lived", new JsonObject().put("name", "again")).bodyAsString());
  }

  @Test
  void args_up_to_64_kib_are_accepted_and_larger_ones_answer_413() {
    // {"name":"xxx..."} is 11 bytes of JSON around the value.
    String fits = "x".repeat(64 * 1024 - 11);
    HttpResponse<Buffer> ok = engine.invoke("hello", new JsonObject().put("name", fits));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("Hello, " + fits + "!", ok.bodyAsString());
    assertError(engine.invoke("hello", new JsonObject().put("name", fits + "x")), 413, "limit", "limit is 65536");
  }

  @Test
  void routes_and_methods_outside_the_api_answer_json_errors() {
    assertError(engine.get("/no/such/route"), 404, "not_found", "/no/such/route");
    assertError(engine.get("/function/invoke"), 405, "method_not_allowed", "GET");
    assertEquals(200, engine.get("/healthz").statusCode());
    String overBodyLimit = "{\"function_name\": \"gcd\", \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}";
    assertError(engine.postRaw("/function/invoke", overBodyLimit), 413, "limit", "too large");
  }

  @Test
  void one_module_deployed_under_two_names_is_stored_once() throws IOException {
    assertEquals(200, engine.deploy("hello-twice", Modules.example("hello"), true).statusCode());
    String hex = ModuleDigest.of(Modules.bytes(Modules.example("hello"))).hex();
    try (Stream<Path> blobs = Files.list(dataDir.resolve("oci").resolve("blobs").resolve("sha256"))) {
      assertEquals(1, blobs.filter(blob -> blob.getFileName().toString().equals(hex)).count());
    }
    assertTrue(Files.exists(dataDir.resolve("functions").resolve("hello-twice.json")));
  }
}
