package dev.wasmengine.runtime.wasi;

import static dev.wasmengine.runtime.wasi.WasiErrno.EBADF;
import static dev.wasmengine.runtime.wasi.WasiErrno.EFAULT;
import static dev.wasmengine.runtime.wasi.WasiErrno.EINVAL;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOSYS;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOTCAPABLE;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOTDIR;
import static dev.wasmengine.runtime.wasi.WasiErrno.ESPIPE;
import static dev.wasmengine.runtime.wasi.WasiErrno.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host's semantics, function by function, driven through a real Chicory instance: a module
 * that imports every preview1 function from {@link WasiHost} and re-exports it, with one page of
 * memory, so each call below goes wasm export -> host import -> WasiHost over that memory.
 */
class WasiHostTest {
  private static final int PAGE = Memory.PAGE_SIZE;
  private static final Set<Integer> ERRNOS = Set.of(SUCCESS, EBADF, EFAULT, EINVAL, WasiErrno.EIO, ENOSYS, ENOTDIR,
      ESPIPE, ENOTCAPABLE);

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private WasiHost host;
  private Instance instance;
  private Memory memory;

  @BeforeEach
  void instantiate() {
    host = new WasiHost();
    ChicoryWasi.Compiled compiled = ChicoryWasi.compile(WasiHostTest.class,
        WasmBinary.passThrough(WasiFunctions.MODULE, WasiFunctions.ALL));
    instance = ChicoryWasi.instantiate(compiled, host, new ArrayList<>());
    memory = instance.memory();
  }

  private void bind(List<String> args, Map<String, String> env, String stdin, boolean clock) {
    host.bind(new WasiCall(args, env, stdin.getBytes(StandardCharsets.UTF_8), stdout, stderr, clock));
  }

  private void bind() {
    bind(List.of(), Map.of(), "", false);
  }

  /** Calls the function through the instance's export; returns its errno. */
  private int call(String function, long... args) {
    return (int) instance.export(function).apply(args)[0];
  }

  private void iovec(int at, int buffer, int length) {
    memory.writeI32(at, buffer);
    memory.writeI32(at + 4, length);
  }

  private byte[] bytes(int at, int length) {
    return memory.readBytes(at, length);
  }

  private void fill(int at, int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    memory.write(at, bytes);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void args_sizes_match_what_args_get_writes_and_nothing_is_added() {
    bind(List.of("a", "héllo", ""), Map.of(), "", false);
    assertEquals(SUCCESS, call("args_sizes_get", 100, 104));
    assertEquals(3, memory.readInt(100));
    assertEquals(2 + 7 + 1, memory.readInt(104));
    assertEquals(SUCCESS, call("args_get", 200, 300));
    assertEquals(List.of(300, 302, 309), List.of(memory.readInt(200), memory.readInt(204), memory.readInt(208)));
    assertArrayEquals(utf8("a\0héllo\0\0"), bytes(300, 10));
    assertEquals(0, memory.readInt(212), "only argc pointers are written; libc adds the NULL itself");
  }

  @Test
  void environ_is_the_calls_map_as_sorted_nul_terminated_name_value_strings() {
    bind(List.of(), Map.of("B", "2", "A", "x=y"), "", false);
    assertEquals(SUCCESS, call("environ_sizes_get", 100, 104));
    assertEquals(2, memory.readInt(100));
    assertEquals(utf8("A=x=y\0B=2\0").length, memory.readInt(104));
    assertEquals(SUCCESS, call("environ_get", 200, 300));
    assertEquals(List.of(300, 306), List.of(memory.readInt(200), memory.readInt(204)));
    assertArrayEquals(utf8("A=x=y\0B=2\0"), bytes(300, 10));
  }

  @Test
  void an_empty_call_has_no_args_and_no_environment() {
    bind();
    fill(100, 16, 0x55);
    assertEquals(SUCCESS, call("args_sizes_get", 100, 104));
    assertEquals(SUCCESS, call("environ_sizes_get", 108, 112));
    assertEquals(List.of(0, 0, 0, 0),
        List.of(memory.readInt(100), memory.readInt(104), memory.readInt(108), memory.readInt(112)));
    assertEquals(SUCCESS, call("args_get", 200, 300));
  }

  @Test
  void fd_write_gathers_iovecs_into_the_calls_stdout_and_stderr_and_stores_nwritten() {
    bind();
    memory.write(1000, utf8("Hello, "));
    memory.write(2000, utf8("world"));
    iovec(100, 1000, 7);
    iovec(108, 2000, 5);
    assertEquals(SUCCESS, call("fd_write", 1, 100, 2, 200));
    assertEquals(12, memory.readInt(200));
    assertEquals(SUCCESS, call("fd_write", 2, 108, 1, 204));
    assertEquals(5, memory.readInt(204));
    assertEquals(SUCCESS, call("fd_write", 1, 100, 0, 208));
    assertEquals(0, memory.readInt(208));
    assertEquals("Hello, world", text(stdout));
    assertEquals("world", text(stderr));
  }

  @Test
  void writing_to_stdin_or_an_fd_that_was_never_open_is_ebadf() {
    bind();
    iovec(100, 1000, 4);
    for (long fd : new long[] {0, 3, 4, 100, -1}) {
      assertEquals(EBADF, call("fd_write", fd, 100, 1, 200), "fd " + fd);
    }
    assertEquals("", text(stdout));
  }

  @Test
  void fd_read_consumes_the_calls_stdin_then_reports_end_of_file() {
    bind(List.of(), Map.of(), "abcdef", false);
    iovec(100, 1000, 4);
    iovec(108, 2000, 4);
    assertEquals(SUCCESS, call("fd_read", 0, 100, 2, 200));
    assertEquals(6, memory.readInt(200));
    assertArrayEquals(utf8("abcd"), bytes(1000, 4));
    assertArrayEquals(utf8("ef"), bytes(2000, 2));
    assertEquals(SUCCESS, call("fd_read", 0, 100, 2, 200));
    assertEquals(0, memory.readInt(200), "EOF");
    assertEquals(EBADF, call("fd_read", 1, 100, 2, 200));
    assertEquals(EBADF, call("fd_read", 3, 100, 2, 200));
  }

  @Test
  void each_bound_call_starts_with_its_own_stdin_unread_and_stdio_open() {
    bind(List.of(), Map.of(), "one", false);
    iovec(100, 1000, 16);
    assertEquals(SUCCESS, call("fd_read", 0, 100, 1, 200));
    assertEquals(SUCCESS, call("fd_close", 1));
    host.unbind();
    bind(List.of(), Map.of(), "two!", false);
    assertEquals(SUCCESS, call("fd_read", 0, 100, 1, 200));
    assertEquals(4, memory.readInt(200));
    assertArrayEquals(utf8("two!"), bytes(1000, 4));
    memory.write(1000, utf8("ok"));
    iovec(100, 1000, 2);
    assertEquals(SUCCESS, call("fd_write", 1, 100, 1, 200));
    assertEquals("ok", text(stdout));
  }

  @Test
  void stdio_is_a_character_device_with_every_right_and_no_flags() {
    bind();
    for (long fd = 0; fd <= 2; fd++) {
      fill(500, 24, 0xAA);
      assertEquals(SUCCESS, call("fd_fdstat_get", fd, 500));
      assertEquals(2, memory.read(500), "filetype CHARACTER_DEVICE");
      assertEquals(0, memory.readShort(502), "fdflags");
      assertEquals((1L << 30) - 1, memory.readLong(508), "rights_base");
      assertEquals((1L << 30) - 1, memory.readLong(516), "rights_inheriting");
    }
    fill(500, 24, 0xAA);
    assertEquals(EBADF, call("fd_fdstat_get", 3, 500));
    assertEquals((byte) 0xAA, memory.read(500), "nothing written for a bad fd");
  }

  @Test
  void stdio_filestat_is_a_character_device_with_zero_sizes_and_times() {
    bind();
    fill(600, 64, 0xAA);
    assertEquals(SUCCESS, call("fd_filestat_get", 1, 600));
    byte[] expected = new byte[64];
    expected[16] = 2;
    assertArrayEquals(expected, bytes(600, 64));
    assertEquals(EBADF, call("fd_filestat_get", 9, 600));
  }

  @Test
  void stdio_cannot_seek_and_other_file_operations_answer_sensible_errors() {
    bind();
    assertEquals(ESPIPE, call("fd_seek", 1, 0L, 0, 600));
    assertEquals(ESPIPE, call("fd_seek", 0, 10L, 1, 600));
    assertEquals(ESPIPE, call("fd_tell", 2, 600));
    assertEquals(ESPIPE, call("fd_pread", 0, 100, 1, 0L, 600));
    assertEquals(ESPIPE, call("fd_pwrite", 1, 100, 1, 0L, 600));
    assertEquals(ESPIPE, call("fd_advise", 1, 0L, 0L, 0));
    assertEquals(ESPIPE, call("fd_allocate", 1, 0L, 10L));
    assertEquals(ENOTDIR, call("fd_readdir", 1, 100, 10, 0L, 600));
    assertEquals(SUCCESS, call("fd_sync", 1));
    assertEquals(SUCCESS, call("fd_datasync", 2));
    assertEquals(EINVAL, call("fd_filestat_set_size", 1, 0L));
    assertEquals(ENOSYS, call("fd_filestat_set_times", 1, 0L, 0L, 0));
    assertEquals(SUCCESS, call("fd_fdstat_set_flags", 1, 0));
    assertEquals(ENOSYS, call("fd_fdstat_set_flags", 1, 1));
    assertEquals(ENOSYS, call("fd_fdstat_set_rights", 1, 0L, 0L));
    for (String function : List.of("fd_seek", "fd_tell", "fd_sync", "fd_advise", "fd_readdir")) {
      long[] args = zeros(function);
      args[0] = 5;
      assertEquals(EBADF, (int) instance.export(function).apply(args)[0], function + " on fd 5");
    }
  }

  @Test
  void a_closed_stdio_fd_is_ebadf_afterwards() {
    bind();
    iovec(100, 1000, 1);
    assertEquals(SUCCESS, call("fd_close", 1));
    assertEquals(EBADF, call("fd_write", 1, 100, 1, 200));
    assertEquals(EBADF, call("fd_fdstat_get", 1, 500));
    assertEquals(EBADF, call("fd_close", 1));
    assertEquals(EBADF, call("fd_close", 3));
    assertEquals(SUCCESS, call("fd_write", 2, 100, 1, 200), "the others stay open");
  }

  @Test
  void fd_renumber_moves_a_stream_onto_another_open_fd() {
    bind();
    memory.write(1000, utf8("e"));
    iovec(100, 1000, 1);
    assertEquals(SUCCESS, call("fd_renumber", 2, 1));
    assertEquals(SUCCESS, call("fd_write", 1, 100, 1, 200));
    assertEquals(EBADF, call("fd_write", 2, 100, 1, 200));
    assertEquals("e", text(stderr));
    assertEquals("", text(stdout));
    assertEquals(EBADF, call("fd_renumber", 5, 1));
    assertEquals(EBADF, call("fd_renumber", 1, 2), "the target must be open");
  }

  @Test
  void there_are_no_preopened_directories_and_every_path_and_socket_call_is_not_capable() {
    bind();
    for (long fd = 0; fd <= 10; fd++) {
      assertEquals(EBADF, call("fd_prestat_get", fd, 700), "fd " + fd);
      assertEquals(EBADF, call("fd_prestat_dir_name", fd, 700, 16), "fd " + fd);
    }
    List<String> checked = new ArrayList<>();
    for (String function : WasiFunctions.ALL.keySet()) {
      if (function.startsWith("path_") || function.startsWith("sock_")) {
        long[] args = zeros(function);
        args[0] = function.equals("path_symlink") ? 0 : 3;  // the "preopen" libc would look for first
        assertEquals(ENOTCAPABLE, (int) instance.export(function).apply(args)[0], function);
        args[0] = 1;
        assertEquals(ENOTCAPABLE, (int) instance.export(function).apply(args)[0], function + " on stdout");
        checked.add(function);
      }
    }
    assertEquals(14, checked.size(), checked.toString());
  }

  @Test
  void the_wall_clock_is_the_epoch_unless_the_call_grants_it() {
    bind();
    fill(800, 8, 0xFF);
    assertEquals(SUCCESS, call("clock_time_get", 0, 1L, 800));
    assertEquals(0L, memory.readLong(800));
    host.unbind();

    bind(List.of(), Map.of(), "", true);
    long before = nanos(Instant.now());
    assertEquals(SUCCESS, call("clock_time_get", 0, 1L, 800));
    long after = nanos(Instant.now());
    long granted = memory.readLong(800);
    assertTrue(before <= granted && granted <= after, before + " <= " + granted + " <= " + after);
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  @Test
  void monotonic_and_cpu_clocks_count_from_the_bind_not_from_the_hosts_origin() {
    long beforeBind = System.nanoTime();
    bind();
    for (long clock = 1; clock <= 3; clock++) {
      assertEquals(SUCCESS, call("clock_time_get", clock, 0L, 800));
      long first = memory.readLong(800);
      assertEquals(SUCCESS, call("clock_time_get", clock, 0L, 800));
      long second = memory.readLong(800);
      long sinceBeforeBind = System.nanoTime() - beforeBind;
      assertTrue(0 <= first && first <= second && second <= sinceBeforeBind,
          "clock " + clock + ": " + first + ", " + second + " within " + sinceBeforeBind);
    }
  }

  @Test
  void clock_resolution_is_a_microsecond_and_unknown_clocks_are_einval() {
    bind();
    for (long clock = 0; clock <= 3; clock++) {
      assertEquals(SUCCESS, call("clock_res_get", clock, 800));
      assertEquals(1000L, memory.readLong(800));
    }
    assertEquals(EINVAL, call("clock_res_get", 4, 800));
    assertEquals(EINVAL, call("clock_time_get", 4, 0L, 800));
    assertEquals(EINVAL, call("clock_time_get", -1, 0L, 800));
  }

  @Test
  void random_get_fills_the_buffer_and_two_draws_differ() {
    bind();
    assertEquals(SUCCESS, call("random_get", 1000, 64));
    byte[] first = bytes(1000, 64);
    assertEquals(SUCCESS, call("random_get", 1000, 64));
    byte[] second = bytes(1000, 64);
    assertFalse(Arrays.equals(new byte[64], first));
    assertFalse(Arrays.equals(first, second));
    assertEquals(SUCCESS, call("random_get", 1000, 0));
    assertEquals(SUCCESS, call("random_get", 0, PAGE), "the whole page");
  }

  @Test
  void no_sleeping_no_signals_and_yield_succeeds() {
    bind();
    assertEquals(ENOSYS, call("poll_oneoff", 100, 200, 1, 300));
    assertEquals(ENOSYS, call("proc_raise", 9));
    assertEquals(SUCCESS, call("sched_yield"));
  }

  @Test
  void proc_exit_unwinds_the_guest_as_wasi_exit_with_its_code_and_no_stack_trace() {
    bind();
    WasiExit exit = assertThrows(WasiExit.class, () -> instance.export("proc_exit").apply(3));
    assertEquals(3, exit.code());
    assertEquals(0, exit.getStackTrace().length);
    assertEquals(0, assertThrows(WasiExit.class, () -> instance.export("proc_exit").apply(0)).code());
    assertEquals(-1, assertThrows(WasiExit.class, () -> instance.export("proc_exit").apply(0xFFFFFFFFL)).code());
  }

  @Test
  void bad_pointers_are_efault_never_an_exception() {
    bind(List.of("arg"), Map.of("K", "V"), "input", true);
    assertEquals(EFAULT, call("args_sizes_get", PAGE, 0));
    assertEquals(EFAULT, call("args_sizes_get", 0, PAGE - 2));
    assertEquals(EFAULT, call("args_get", PAGE - 2, 0));
    assertEquals(EFAULT, call("args_get", 0, PAGE - 2));
    assertEquals(EFAULT, call("environ_get", 0xFFFFFFFCL, 0));
    assertEquals(EFAULT, call("environ_sizes_get", -1, 0));
    assertEquals(EFAULT, call("clock_time_get", 0, 0L, PAGE - 7));
    assertEquals(EFAULT, call("clock_res_get", 1, 0xFFFFFFFFL));
    assertEquals(EFAULT, call("fd_fdstat_get", 1, PAGE - 23));
    assertEquals(EFAULT, call("fd_filestat_get", 1, 0xFFFFFFF0L));
    assertEquals(EFAULT, call("random_get", PAGE - 10, 11));
    assertEquals(EFAULT, call("random_get", 0, 0xFFFFFFFFL));

    assertEquals(EFAULT, call("fd_write", 1, PAGE - 4, 1, 200), "iovec array outside memory");
    assertEquals(EFAULT, call("fd_write", 1, 100, 0x20000000, 200), "iovec array too long");
    iovec(100, PAGE - 10, 20);
    assertEquals(EFAULT, call("fd_write", 1, 100, 1, 200), "buffer outside memory");
    iovec(100, 0xFFFFFFF0, 0x20);
    assertEquals(EFAULT, call("fd_write", 1, 100, 1, 200), "buffer wrapping around 4 GiB");
    iovec(100, 1000, 2);
    assertEquals(EFAULT, call("fd_write", 1, 100, 1, PAGE), "nwritten outside memory");
    iovec(100, PAGE - 2, 10);
    assertEquals(EFAULT, call("fd_read", 0, 100, 1, 200), "buffer outside memory");
    assertEquals("", text(stderr));
  }

  @Test
  void an_unbound_host_grants_nothing_and_drops_output() {
    memory.write(1000, utf8("lost"));
    iovec(100, 1000, 4);
    assertFalse(host.isBound());
    assertEquals(SUCCESS, call("fd_write", 1, 100, 1, 200));
    assertEquals(4, memory.readInt(200));
    assertEquals(SUCCESS, call("args_sizes_get", 300, 304));
    assertEquals(0, memory.readInt(300));
    assertEquals(SUCCESS, call("fd_read", 0, 100, 1, 200));
    assertEquals(0, memory.readInt(200));
    assertEquals(SUCCESS, call("clock_time_get", 0, 0L, 800));
    assertEquals(0L, memory.readLong(800));
    assertEquals("", text(stdout));
  }

  @Test
  void binding_twice_without_unbinding_is_refused() {
    bind();
    assertThrows(IllegalStateException.class, this::bind);
    host.unbind();
    bind();
    assertTrue(host.isBound());
  }

  @Test
  void a_name_that_is_not_a_preview1_function_is_refused() {
    GuestMemory none = new dev.wasmengine.runtime.chicory.ChicoryMemory(memory);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> host.invoke("fd_frobnicate", none, new long[0]));
    assertTrue(e.getMessage().contains("fd_frobnicate"), e.getMessage());
  }

  @Test
  void every_function_answers_an_errno_for_zero_arguments_and_none_throws_but_proc_exit() {
    bind();
    List<String> answered = new ArrayList<>();
    for (String function : WasiFunctions.ALL.keySet()) {
      if (function.equals("proc_exit")) {
        continue;
      }
      long[] result = instance.export(function).apply(zeros(function));
      assertEquals(1, result.length, function);
      assertTrue(ERRNOS.contains((int) result[0]), function + " -> " + result[0]);
      answered.add(function);
    }
    assertEquals(45, answered.size());
  }

  private static long[] zeros(String function) {
    return new long[WasiFunctions.signature(function).params().size()];
  }

  @Test
  void a_call_copies_what_it_is_given_and_refuses_what_c_strings_cannot_carry() {
    byte[] input = utf8("in");
    List<String> args = new ArrayList<>(List.of("a"));
    WasiCall call = new WasiCall(args, Map.of(), input, OutputStream.nullOutputStream(),
        OutputStream.nullOutputStream(), false);
    input[0] = 'X';
    args.add("b");
    assertArrayEquals(utf8("in"), call.stdin());
    assertEquals(List.of("a"), call.args());
    call.stdin()[0] = 'Y';
    assertArrayEquals(utf8("in"), call.stdin());
    OutputStream none = OutputStream.nullOutputStream();
    assertThrows(IllegalArgumentException.class,
        () -> new WasiCall(List.of("a\0b"), Map.of(), new byte[0], none, none, false));
    assertThrows(IllegalArgumentException.class,
        () -> new WasiCall(List.of(), Map.of("A=B", "c"), new byte[0], none, none, false));
    assertThrows(IllegalArgumentException.class,
        () -> new WasiCall(List.of(), Map.of("", "c"), new byte[0], none, none, false));
    assertThrows(IllegalArgumentException.class,
        () -> new WasiCall(List.of(), Map.of("A", "\0"), new byte[0], none, none, false));
    assertEquals(List.of(), WasiCall.none().args());
    assertFalse(WasiCall.none().clockGranted());
  }
}
