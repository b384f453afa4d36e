package dev.wasmengine.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.Instance;
import dev.wasmengine.testing.ExampleFunctions;
import dev.wasmengine.testing.ExampleFunctions.Example;
import dev.wasmengine.testing.ExampleFunctions.Failure;
import dev.wasmengine.testing.ExampleFunctions.Sample;
import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real guests (C with wasi-libc, Rust std) run by real Chicory with every WASI import served by
 * {@link WasiHost}: the examples give their documented outputs and the sandbox probe sees only
 * what the call grants.
 */
class WasiGuestsTest {

  /** What one run of a command produced. */
  record Run(int status, String stdout, String stderr, List<String> calls) {
    /** stdout less one trailing newline, as ABI 2 reports it. */
    String output() {
      return stdout.endsWith("\n") ? stdout.substring(0, stdout.length() - 1) : stdout;
    }
  }

  /** A new instance with a new host, bound to the call, {@code _start} run, then unbound. */
  static Run run(Path wasm, List<String> args, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> calls = new ArrayList<>();
    WasiHost host = new WasiHost();
    Instance instance = ChicoryWasi.instantiate(ChicoryWasi.compile(wasm, Modules.bytes(wasm)), host, calls);
    int status;
    host.bind(new WasiCall(args, env, new byte[0], out, err, false));
    try {
      instance.export("_start").apply();
      status = 0;
    } catch (WasiExit exit) {
      status = exit.code();
    } finally {
      host.unbind();
    }
    assertFalse(host.isBound());
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), calls);
  }

  static String json(JsonObject args) {
    return args.encode();
  }

  static Stream<Example> commands() {
    return ExampleFunctions.all().stream().filter(Example::wasiCap);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void every_wasi_example_answers_its_documented_outputs(Example example) {
    Path wasm = Modules.example(example.name());
    for (Sample sample : example.samples()) {
      Run run = run(wasm, List.of(json(sample.args())), Map.of());
      assertEquals(0, run.status(), example.name() + " with " + sample.args() + ": " + run.stderr());
      assertEquals(sample.output(), run.output(), example.name() + " with " + sample.args());
      assertEquals("", run.stderr(), example.name());
    }
    for (Failure failure : example.failures()) {
      Run run = run(wasm, List.of(json(failure.args())), Map.of());
      assertEquals(failure.exitCode(), run.status(), example.name() + " with " + failure.args());
      assertTrue(run.stderr().startsWith(example.name() + ":"), "stderr of " + example.name() + ": " + run.stderr());
      assertEquals("", run.stdout(), example.name());
    }
  }

  @Test
  void the_examples_named_in_the_brief_are_all_wasi_commands_here() {
    List<String> names = commands().map(Example::name).toList();
    assertTrue(names.containsAll(List.of("hello", "fibonacci", "authentication-wasi", "add_one")), names.toString());
  }

  @Test
  void the_documented_authentication_example_gives_the_documented_output() {
    String args = json(new JsonObject().put("arg_uri", "yes").put("arg_body", "yes").put("arg_secret", "12345"));
    Run run = run(Modules.example("authentication-wasi"), List.of(args), Map.of());
    assertEquals(0, run.status());
    assertEquals("{\"status\":\"403\",\"body\":\"<html><h1>Auth Forbidden!</h1>"
        + "<p>hash c5187dd86a648a819f527c7a8a4f7bf4 secret 12345</p></html>\"}", run.output());
  }

  @Test
  void hello_reads_its_argv_and_writes_stdout_through_the_host() {
    Run run = run(Modules.example("hello"), List.of("{\"name\":\"edge\"}"), Map.of());
    assertEquals(new Run(0, "Hello, edge!\n", "", run.calls()), run);
    assertEquals(List.of("args_sizes_get", "args_get", "fd_write"), run.calls().stream().distinct().toList());
  }

  @Test
  void rust_std_reads_argv_and_environment_at_startup() {
    Run run = run(Modules.example("add_one"), List.of("{\"n\":\"41\"}"), Map.of());
    assertEquals("42", run.output());
    assertTrue(run.calls().containsAll(List.of("args_sizes_get", "args_get", "fd_write")), run.calls().toString());
  }

  @Test
  void a_command_that_calls_exit_zero_ends_with_status_zero_and_its_output() {
    Run run = run(Modules.testGuest("exit-zero"), List.of("{}"), Map.of());
    assertEquals(0, run.status());
    assertEquals("bye\n", run.stdout());
    assertEquals("proc_exit", run.calls().getLast(), "exit(0) ends through proc_exit: " + run.calls());
  }

  @Test
  void the_sandbox_probe_sees_one_argv_entry_no_environment_and_no_files() {
    Run run = run(Modules.testGuest("sandbox-probe"), List.of("{\"k\":\"v w\"}"), Map.of());
    assertEquals(0, run.status());
    assertEquals(List.of(
        "argc=1",
        "argv[0]={\"k\":\"v w\"}",
        "env_count=0",
        "open_etc_passwd=no",
        "list_root=no",
        "list_cwd=no"), run.stdout().lines().toList());
    assertEquals("probe done\n", run.stderr());
    assertTrue(run.calls().contains("fd_prestat_get"), "libc looked for preopens: " + run.calls());
    assertFalse(run.calls().contains("path_open"), "libc found no directory to open a path in: " + run.calls());
  }

  @Test
  void environment_variables_granted_by_the_call_are_all_the_probe_sees() {
    Run run = run(Modules.testGuest("sandbox-probe"), List.of("{}"),
        Map.of("ZED", "last", "GREETING", "hello world", "EMPTY", "", "EQ", "a=b"));
    assertEquals(List.of(
        "argc=1",
        "argv[0]={}",
        "env=EMPTY=",
        "env=EQ=a=b",
        "env=GREETING=hello world",
        "env=ZED=last",
        "env_count=4",
        "open_etc_passwd=no",
        "list_root=no",
        "list_cwd=no"), run.stdout().lines().toList());
  }

  @Test
  void argv_is_exactly_the_calls_list_with_no_program_name() {
    Run none = run(Modules.testGuest("sandbox-probe"), List.of(), Map.of());
    assertEquals("argc=0", none.stdout().lines().findFirst().orElseThrow());
    Run three = run(Modules.testGuest("sandbox-probe"), List.of("a", "", "Zoë ✓"), Map.of());
    assertEquals(List.of("argc=3", "argv[0]=a", "argv[1]=", "argv[2]=Zoë ✓", "env_count=0"),
        three.stdout().lines().limit(5).toList());
  }

  @Test
  void one_command_after_another_each_on_a_new_instance_with_a_new_host() {
    Path probe = Modules.testGuest("sandbox-probe");
    Run first = run(probe, List.of("first"), Map.of("A", "1"));
    Run second = run(probe, List.of("second"), Map.of());
    assertTrue(first.stdout().contains("argv[0]=first\nenv=A=1\nenv_count=1\n"), first.stdout());
    assertTrue(second.stdout().contains("argv[0]=second\nenv_count=0\n"), second.stdout());
    assertNotSame(first, second);
  }
}
