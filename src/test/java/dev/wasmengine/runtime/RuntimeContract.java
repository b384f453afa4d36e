package dev.wasmengine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.LimitExceededException;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.error.MalformedModuleException;
import dev.wasmengine.error.TrapException;
import dev.wasmengine.testing.ExampleFunctions;
import dev.wasmengine.testing.ExampleFunctions.Example;
import dev.wasmengine.testing.ExampleFunctions.Failure;
import dev.wasmengine.testing.ExampleFunctions.Sample;
import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every runtime promises, run once per implementation: both original ABIs give the
 * examples' documented outputs, guests see only their sandbox, and every guest failure arrives
 * as the right engine exception.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RuntimeContract {
  static final GuestLimits LIMITS = GuestLimits.DEFAULT;

  private WasmRuntime runtime;

  abstract WasmRuntime createRuntime();

  @BeforeAll
  void startRuntime() {
    runtime = createRuntime();
  }

  @AfterAll
  void closeRuntime() {
    runtime.close();
  }

  WasmRuntime runtime() {
    return runtime;
  }

  CompiledModule compile(java.nio.file.Path module) {
    byte[] bytes = Modules.bytes(module);
    return runtime.compile(ModuleDigest.of(bytes), bytes);
  }

  static byte[] json(JsonObject args) {
    return args.encode().getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] output) {
    return new String(output, StandardCharsets.UTF_8);
  }

  /** One call on a fresh instance, as the engine's fresh policy runs it. */
  static byte[] invoke(FunctionAbi abi, CompiledModule module, String name, byte[] input, GuestLimits limits) {
    try (GuestInstance instance = module.instantiate()) {
      return abi.invoke(instance, name, GuestRequest.of(input), FunctionGrant.NONE, limits, FunctionCaller.NONE).body();
    }
  }

  Stream<Example> examples() {
    return ExampleFunctions.all().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void every_example_answers_its_documented_outputs(Example example) {
    CompiledModule module = compile(Modules.example(example.name()));
    FunctionAbi abi = FunctionAbi.of(example.kind());
    abi.check(module.shape(), example.name());
    assertEquals(example.kind(), FunctionAbi.detect(module.shape(), FunctionKind.COMMAND), "ABI detected from the module");
    for (Sample sample : example.samples()) {
      byte[] output = invoke(abi, module, example.name(), json(sample.args()), LIMITS);
      assertEquals(sample.output(), text(output), example.name() + " with " + sample.args());
    }
  }

  @Test
  void the_documented_authentication_example_gives_the_documented_output() {
    String expected = "{\"status\":\"403\",\"body\":\"<html><h1>Auth Forbidden!</h1>"
        + "<p>hash c5187dd86a648a819f527c7a8a4f7bf4 secret 12345</p></html>\"}";
    JsonObject args = new JsonObject().put("arg_uri", "yes").put("arg_body", "yes").put("arg_secret", "12345");
    for (String name : List.of("authentication", "authentication-wasi")) {
      CompiledModule module = compile(Modules.example(name));
      boolean wasi = name.endsWith("-wasi");
      assertEquals(expected, text(invoke(FunctionAbi.of(wasi ? FunctionKind.COMMAND : FunctionKind.EXPORT), module, "authentication", json(args), LIMITS)), name);
    }
  }

  @Test
  void a_command_that_exits_non_zero_fails_with_its_status_and_stderr() {
    Example fibonacci = ExampleFunctions.named("fibonacci");
    CompiledModule module = compile(Modules.example("fibonacci"));
    for (Failure failure : fibonacci.failures()) {
      GuestExitException e = assertThrows(GuestExitException.class,
          () -> invoke(FunctionAbi.of(FunctionKind.COMMAND), module, "fibonacci", json(failure.args()), LIMITS));
      assertTrue(e.getMessage().contains("status " + failure.exitCode()), e.getMessage());
      assertTrue(e.getMessage().contains("fibonacci:"), "stderr is quoted: " + e.getMessage());
    }
  }

  @Test
  void a_command_that_calls_exit_zero_succeeds() {
    CompiledModule module = compile(Modules.testGuest("exit-zero"));
    assertEquals("bye", text(invoke(FunctionAbi.of(FunctionKind.COMMAND), module, "exit-zero", json(new JsonObject()), LIMITS)));
  }

  @Test
  void a_wasi_guest_gets_one_argv_entry_no_environment_no_files_and_private_streams() {
    CompiledModule module = compile(Modules.testGuest("sandbox-probe"));
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    ByteArrayOutputStream hostStreams = new ByteArrayOutputStream();
    String output;
    try (PrintStream capture = new PrintStream(hostStreams, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      System.setErr(capture);
      output = text(invoke(FunctionAbi.of(FunctionKind.COMMAND), module, "sandbox-probe", json(new JsonObject().put("k", "v w")), LIMITS));
    } finally {
      System.setOut(realOut);
      System.setErr(realErr);
    }
    List<String> lines = output.lines().toList();
    assertEquals(List.of(
        "argc=1",
        "argv[0]={\"k\":\"v w\"}",
        "env_count=0",
        "open_etc_passwd=no",
        "list_root=no",
        "list_cwd=no"), lines);
    assertFalse(hostStreams.toString(StandardCharsets.UTF_8).contains("probe done"), "guest stderr reached the host");
    assertFalse(hostStreams.toString(StandardCharsets.UTF_8).contains("argc="), "guest stdout reached the host");
  }

  /** One HTTP call on a fresh instance. */
  GuestResponse call(String guest, GuestRequest request, FunctionGrant grant) {
    try (GuestInstance instance = compile(Modules.testGuest(guest)).instantiate()) {
      return FunctionAbi.of(FunctionKind.HTTP).invoke(instance, guest, request, grant, LIMITS, FunctionCaller.NONE);
    }
  }

  @Test
  void an_http_guest_sees_the_request_in_both_env_conventions_and_its_body_on_stdin() {
    GuestRequest request = new GuestRequest("PUT", "/a/b", "x=1&y=2",
        List.of(new HttpHeader("Content-Type", "text/plain"), new HttpHeader("x-test-header", "one"),
            new HttpHeader("X-Test-Header", "two")),
        "the body".getBytes(StandardCharsets.UTF_8));
    GuestResponse response = call("http-echo", request,
        new FunctionGrant(java.util.Map.of("ECHO_ALSO", "GREETING,SCRIPT_NAME", "GREETING", "hi"), java.util.Map.of()));
    assertEquals(200, response.status());
    assertEquals(List.of(new HttpHeader("Content-Type", "application/json")), response.headers());
    JsonObject echoed = new JsonObject(text(response.body()));
    assertEquals("PUT", echoed.getString("method"));
    assertEquals("x=1&y=2", echoed.getString("query"));
    assertEquals("/a/b", echoed.getString("path"));
    assertEquals("text/plain", echoed.getString("content_type"));
    assertEquals("8", echoed.getString("content_length"));
    assertEquals("the body", echoed.getString("body"));
    JsonObject env = echoed.getJsonObject("env");
    assertEquals("one, two", env.getString("HTTP_X_TEST_HEADER"), "repeated headers are joined");
    assertEquals("one, two", env.getString("Http_X_Test_Header"), "watchdog names are canonical");
    assertEquals("text/plain", env.getString("Http_Content_Type"));
    assertFalse(env.containsKey("HTTP_CONTENT_TYPE"), "CGI passes the body's type as CONTENT_TYPE only");
    assertEquals("PUT", env.getString("Http_Method"));
    assertEquals("x=1&y=2", env.getString("Http_Query"));
    assertEquals("/a/b", env.getString("Http_Path"));
    assertEquals("text/plain", env.getString("Http_ContentType"));
    assertEquals("hi", env.getString("GREETING"), "the function's envVars");
    assertEquals("/function/http-echo", env.getString("SCRIPT_NAME"));
  }

  @Test
  void an_http_guest_sets_status_and_headers_with_a_cgi_block_or_answers_plain_text() {
    GuestRequest get = new GuestRequest("GET", "/", "", List.of(), new byte[0]);
    GuestResponse teapot = call("http-status", get, FunctionGrant.NONE);
    assertEquals(418, teapot.status());
    assertEquals(List.of(new HttpHeader("Content-Type", "text/plain"), new HttpHeader("X-Guest", "yes")),
        teapot.headers());
    assertEquals("short and stout", text(teapot.body()));

    GuestResponse moved = call("http-redirect", get, FunctionGrant.NONE);
    assertEquals(302, moved.status(), "a Location without a Status is a redirect");
    assertTrue(moved.headers().contains(new HttpHeader("Location", "https://example.invalid/next")), moved.headers().toString());

    GuestResponse plain = call("http-plain", get, new FunctionGrant(java.util.Map.of("content_type", "text/csv"), java.util.Map.of()));
    assertEquals(200, plain.status());
    assertEquals("plain body", text(plain.body()));
    assertEquals(List.of(new HttpHeader("Content-Type", "text/csv")), plain.headers());
    assertEquals("log line one\nlog line two\n", text(plain.stderr()), "stderr is kept for the log, not the answer");
  }

  @Test
  void an_http_guest_that_exits_non_zero_fails_with_its_stderr() {
    GuestExitException e = assertThrows(GuestExitException.class,
        () -> call("http-fail", GuestRequest.of(new byte[0]), FunctionGrant.NONE));
    assertTrue(e.getMessage().contains("status 3") && e.getMessage().contains("something broke"), e.getMessage());
  }

  @Test
  void an_http_guest_reads_only_the_secrets_its_deployment_grants() {
    java.util.Map<String, String> env = java.util.Map.of("GREETING", "hi", "SECRET_NAME", "api-key");
    byte[] value = {'k', 0, (byte) 0xff, '\n'};
    GuestResponse granted = call("http-env", GuestRequest.of(new byte[0]),
        new FunctionGrant(env, java.util.Map.of("api-key", value)));
    byte[] expected = new byte[3 + value.length];
    System.arraycopy("hi\n".getBytes(StandardCharsets.UTF_8), 0, expected, 0, 3);
    System.arraycopy(value, 0, expected, 3, value.length);
    assertTrue(java.util.Arrays.equals(expected, granted.body()), "the secret's bytes, unchanged");
    GuestResponse other = call("http-env", GuestRequest.of(new byte[0]),
        new FunctionGrant(env, java.util.Map.of("db-password", "x".getBytes(StandardCharsets.UTF_8))));
    assertEquals("hi\nno secret", text(other.body()));
    GuestResponse escape = call("http-env", GuestRequest.of(new byte[0]),
        new FunctionGrant(java.util.Map.of("GREETING", "hi", "SECRET_NAME", "../../../../etc/passwd"),
            java.util.Map.of("api-key", value)));
    assertEquals("hi\nno secret", text(escape.body()), "no way out of the secrets directory");
  }

  @Test
  void a_trap_is_reported_with_its_message() {
    CompiledModule module = compile(Modules.testGuest("trap"));
    TrapException e = assertThrows(TrapException.class,
        () -> invoke(FunctionAbi.of(FunctionKind.EXPORT), module, "trap", json(new JsonObject()), LIMITS));
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
  }

  @Test
  void endless_recursion_ends_as_a_trap_not_a_stack_overflow() {
    CompiledModule module = compile(Modules.testGuest("recurse"));
    TrapException e = assertThrows(TrapException.class,
        () -> invoke(FunctionAbi.of(FunctionKind.EXPORT), module, "recurse", json(new JsonObject()), LIMITS));
    assertTrue(e.getMessage().contains("call stack exhausted"), e.getMessage());
    // The same module keeps working for the next call on the same thread.
    assertThrows(TrapException.class, () -> invoke(FunctionAbi.of(FunctionKind.EXPORT), module, "recurse", json(new JsonObject()), LIMITS));
  }

  @Test
  void an_output_slice_outside_memory_is_a_trap() {
    CompiledModule module = compile(Modules.testGuest("bad-slice"));
    assertThrows(TrapException.class,
        () -> invoke(FunctionAbi.of(FunctionKind.EXPORT), module, "bad-slice", json(new JsonObject()), LIMITS));
  }

  @Test
  void garbage_bytes_are_a_malformed_module() {
    byte[] garbage = "definitely not wasm".getBytes(StandardCharsets.UTF_8);
    assertThrows(MalformedModuleException.class, () -> runtime.compile(ModuleDigest.of(garbage), garbage));
  }

  @Test
  void a_module_that_fails_validation_is_invalid() {
    assertThrows(InvalidModuleException.class, () -> compile(Modules.testGuest("invalid")));
  }

  @Test
  void an_import_the_engine_does_not_provide_is_a_link_error() {
    CompiledModule module = compile(Modules.testGuest("needs-env"));
    LinkException e = assertThrows(LinkException.class, module::instantiate);
    assertTrue(e.getMessage().contains("env"), e.getMessage());
  }

  @Test
  void a_module_that_does_not_fit_its_abi_is_refused_with_what_is_missing() {
    InvalidModuleException wrongType = assertThrows(InvalidModuleException.class,
        () -> FunctionAbi.of(FunctionKind.EXPORT).check(compile(Modules.testGuest("wrong-type")).shape(), "wrong-type"));
    assertTrue(wrongType.getMessage().contains("(i32) -> (i32)"), wrongType.getMessage());
    InvalidModuleException noExport = assertThrows(InvalidModuleException.class,
        () -> FunctionAbi.of(FunctionKind.EXPORT).check(compile(Modules.example("hello")).shape(), "hello"));
    assertTrue(noExport.getMessage().contains("no function named hello"), noExport.getMessage());
    InvalidModuleException noStart = assertThrows(InvalidModuleException.class,
        () -> FunctionAbi.of(FunctionKind.COMMAND).check(compile(Modules.example("gcd")).shape(), "gcd"));
    assertTrue(noStart.getMessage().contains("_start"), noStart.getMessage());
  }

  @Test
  void input_up_to_the_limit_is_accepted_and_one_byte_more_is_refused() {
    CompiledModule echo = compile(Modules.example("echo-string"));
    CompiledModule hello = compile(Modules.example("hello"));
    byte[] input = json(new JsonObject().put("name", "x".repeat(100)));
    GuestLimits exact = new GuestLimits(input.length, LIMITS.maxOutputBytes());
    GuestLimits under = new GuestLimits(input.length - 1, LIMITS.maxOutputBytes());

    assertEquals(text(input) + "b", text(invoke(FunctionAbi.of(FunctionKind.EXPORT), echo, "echo-string", input, exact)));
    assertThrows(LimitExceededException.class, () -> invoke(FunctionAbi.of(FunctionKind.EXPORT), echo, "echo-string", input, under));
    assertEquals("Hello, " + "x".repeat(100) + "!", text(invoke(FunctionAbi.of(FunctionKind.COMMAND), hello, "hello", input, exact)));
    assertThrows(LimitExceededException.class, () -> invoke(FunctionAbi.of(FunctionKind.COMMAND), hello, "hello", input, under));
  }

  @Test
  void output_up_to_the_limit_is_returned_and_one_byte_more_is_refused() {
    CompiledModule echo = compile(Modules.example("echo-string"));
    CompiledModule hello = compile(Modules.example("hello"));
    byte[] input = json(new JsonObject());
    // echo-string answers "{}b" (3 bytes); hello prints "Hello, world!\n" (14 bytes captured).
    assertEquals("{}b", text(invoke(FunctionAbi.of(FunctionKind.EXPORT), echo, "echo-string", input, new GuestLimits(1024, 3))));
    assertThrows(LimitExceededException.class,
        () -> invoke(FunctionAbi.of(FunctionKind.EXPORT), echo, "echo-string", input, new GuestLimits(1024, 2)));
    assertEquals("Hello, world!", text(invoke(FunctionAbi.of(FunctionKind.COMMAND), hello, "hello", input, new GuestLimits(1024, 14))));
    assertThrows(LimitExceededException.class,
        () -> invoke(FunctionAbi.of(FunctionKind.COMMAND), hello, "hello", input, new GuestLimits(1024, 13)));
  }

  @Test
  void instances_of_one_compiled_module_do_not_share_memory() {
    CompiledModule module = compile(Modules.example("echo-string"));
    try (GuestInstance first = module.instantiate();
        GuestInstance second = module.instantiate()) {
      first.writeMemory(2048, "first".getBytes(StandardCharsets.UTF_8));
      second.writeMemory(2048, "other".getBytes(StandardCharsets.UTF_8));
      assertEquals("first", text(first.readMemory(2048, 5)));
      assertEquals("other", text(second.readMemory(2048, 5)));
    }
  }
}
