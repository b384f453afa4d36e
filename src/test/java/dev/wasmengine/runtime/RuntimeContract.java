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
      return abi.invoke(instance, name, input, limits, FunctionCaller.NONE);
    }
  }

  Stream<Example> examples() {
    return ExampleFunctions.all().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void every_example_answers_its_documented_outputs(Example example) {
    CompiledModule module = compile(Modules.example(example.name()));
    FunctionAbi abi = FunctionAbi.of(example.wasiCap());
    abi.check(module.shape(), example.name());
    assertEquals(example.wasiCap(), FunctionAbi.detectWasiCap(module.shape()), "ABI detected from the module");
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
      assertEquals(expected, text(invoke(FunctionAbi.of(wasi), module, "authentication", json(args), LIMITS)), name);
    }
  }

  @Test
  void a_command_that_exits_non_zero_fails_with_its_status_and_stderr() {
    Example fibonacci = ExampleFunctions.named("fibonacci");
    CompiledModule module = compile(Modules.example("fibonacci"));
    for (Failure failure : fibonacci.failures()) {
      GuestExitException e = assertThrows(GuestExitException.class,
          () -> invoke(FunctionAbi.of(true), module, "fibonacci", json(failure.args()), LIMITS));
      assertTrue(e.getMessage().contains("status " + failure.exitCode()), e.getMessage());
      assertTrue(e.getMessage().contains("fibonacci:"), "stderr is quoted: " + e.getMessage());
    }
  }

  @Test
  void a_command_that_calls_exit_zero_succeeds() {
    CompiledModule module = compile(Modules.testGuest("exit-zero"));
    assertEquals("bye", text(invoke(FunctionAbi.of(true), module, "exit-zero", json(new JsonObject()), LIMITS)));
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
      output = text(invoke(FunctionAbi.of(true), module, "sandbox-probe", json(new JsonObject().put("k", "v w")), LIMITS));
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

  @Test
  void a_trap_is_reported_with_its_message() {
    CompiledModule module = compile(Modules.testGuest("trap"));
    TrapException e = assertThrows(TrapException.class,
        () -> invoke(FunctionAbi.of(false), module, "trap", json(new JsonObject()), LIMITS));
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
  }

  @Test
  void endless_recursion_ends_as_a_trap_not_a_stack_overflow() {
    CompiledModule module = compile(Modules.testGuest("recurse"));
    TrapException e = assertThrows(TrapException.class,
        () -> invoke(FunctionAbi.of(false), module, "recurse", json(new JsonObject()), LIMITS));
    assertTrue(e.getMessage().contains("call stack exhausted"), e.getMessage());
    // The same module keeps working for the next call on the same thread.
    assertThrows(TrapException.class, () -> invoke(FunctionAbi.of(false), module, "recurse", json(new JsonObject()), LIMITS));
  }

  @Test
  void an_output_slice_outside_memory_is_a_trap() {
    CompiledModule module = compile(Modules.testGuest("bad-slice"));
    assertThrows(TrapException.class,
        () -> invoke(FunctionAbi.of(false), module, "bad-slice", json(new JsonObject()), LIMITS));
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
        () -> FunctionAbi.of(false).check(compile(Modules.testGuest("wrong-type")).shape(), "wrong-type"));
    assertTrue(wrongType.getMessage().contains("(i32) -> (i32)"), wrongType.getMessage());
    InvalidModuleException noExport = assertThrows(InvalidModuleException.class,
        () -> FunctionAbi.of(false).check(compile(Modules.example("hello")).shape(), "hello"));
    assertTrue(noExport.getMessage().contains("no function named hello"), noExport.getMessage());
    InvalidModuleException noStart = assertThrows(InvalidModuleException.class,
        () -> FunctionAbi.of(true).check(compile(Modules.example("gcd")).shape(), "gcd"));
    assertTrue(noStart.getMessage().contains("_start"), noStart.getMessage());
  }

  @Test
  void input_up_to_the_limit_is_accepted_and_one_byte_more_is_refused() {
    CompiledModule echo = compile(Modules.example("echo-string"));
    CompiledModule hello = compile(Modules.example("hello"));
    byte[] input = json(new JsonObject().put("name", "x".repeat(100)));
    GuestLimits exact = new GuestLimits(input.length, LIMITS.maxOutputBytes());
    GuestLimits under = new GuestLimits(input.length - 1, LIMITS.maxOutputBytes());

    assertEquals(text(input) + "b", text(invoke(FunctionAbi.of(false), echo, "echo-string", input, exact)));
    assertThrows(LimitExceededException.class, () -> invoke(FunctionAbi.of(false), echo, "echo-string", input, under));
    assertEquals("Hello, " + "x".repeat(100) + "!", text(invoke(FunctionAbi.of(true), hello, "hello", input, exact)));
    assertThrows(LimitExceededException.class, () -> invoke(FunctionAbi.of(true), hello, "hello", input, under));
  }

  @Test
  void output_up_to_the_limit_is_returned_and_one_byte_more_is_refused() {
    CompiledModule echo = compile(Modules.example("echo-string"));
    CompiledModule hello = compile(Modules.example("hello"));
    byte[] input = json(new JsonObject());
    // echo-string answers "{}b" (3 bytes); hello prints "Hello, world!\n" (14 bytes captured).
    assertEquals("{}b", text(invoke(FunctionAbi.of(false), echo, "echo-string", input, new GuestLimits(1024, 3))));
    assertThrows(LimitExceededException.class,
        () -> invoke(FunctionAbi.of(false), echo, "echo-string", input, new GuestLimits(1024, 2)));
    assertEquals("Hello, world!", text(invoke(FunctionAbi.of(true), hello, "hello", input, new GuestLimits(1024, 14))));
    assertThrows(LimitExceededException.class,
        () -> invoke(FunctionAbi.of(true), hello, "hello", input, new GuestLimits(1024, 13)));
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
