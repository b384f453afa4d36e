package dev.wasmengine.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.UnlinkableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signature table, checked mechanically: a module importing every function with our types
 * links against Chicory's own WASI host (which refuses a mismatching type), and the check is live.
 */
class WasiFunctionsTest {
  private static final List<String> PREVIEW1 = List.of(
      "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
      "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
      "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
      "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
      "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
      "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
      "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
      "sock_recv", "sock_send", "sock_shutdown");

  private static HostFunction[] chicoryWasi(WasiPreview1 wasi) {
    return wasi.toHostFunctions();
  }

  private static void link(byte[] module, HostFunction[] functions) {
    Instance instance = Instance.builder(Parser.parse(module))
        .withImportValues(ImportValues.builder().addFunction(functions).build())
        .withStart(false)
        .build();
    assertNotNull(instance);
  }

  @Test
  void the_table_names_all_46_preview1_functions_in_specification_order() {
    assertEquals(46, PREVIEW1.size());
    assertEquals(PREVIEW1, List.copyOf(WasiFunctions.ALL.keySet()));
  }

  @Test
  void a_module_importing_every_function_with_our_types_links_against_chicorys_wasi() {
    try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(WasiOptions.builder().build()).build()) {
      link(WasmBinary.importing(WasiFunctions.MODULE, WasiFunctions.ALL), chicoryWasi(wasi));
    }
  }

  @Test
  void every_function_with_a_wrong_type_is_refused_by_chicory_so_the_check_above_is_live() {
    List<String> accepted = new ArrayList<>();
    try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(WasiOptions.builder().build()).build()) {
      HostFunction[] functions = chicoryWasi(wasi);
      for (var entry : WasiFunctions.ALL.entrySet()) {
        for (WasiFunctions.Signature wrong : wrongTypes(entry.getValue())) {
          Map<String, WasiFunctions.Signature> one = new LinkedHashMap<>();
          one.put(entry.getKey(), wrong);
          try {
            link(WasmBinary.importing(WasiFunctions.MODULE, one), functions);
            accepted.add(entry.getKey() + " " + wrong);
          } catch (UnlinkableException e) {
            assertTrue(e.getMessage().contains("incompatible import type"), e.getMessage());
          }
        }
      }
    }
    assertEquals(List.of(), accepted, "Chicory accepted these wrong types");
  }

  /** The same function with one more i32 parameter, and with its first parameter's or result's type flipped. */
  private static List<WasiFunctions.Signature> wrongTypes(WasiFunctions.Signature right) {
    List<WasiFunctions.Signature> wrong = new ArrayList<>();
    List<String> more = new ArrayList<>(right.params());
    more.add("i32");
    wrong.add(new WasiFunctions.Signature(more, right.results()));
    if (!right.params().isEmpty()) {
      List<String> flipped = new ArrayList<>(right.params());
      flipped.set(0, flip(flipped.get(0)));
      wrong.add(new WasiFunctions.Signature(flipped, right.results()));
    }
    wrong.add(new WasiFunctions.Signature(right.params(),
        right.results().isEmpty() ? List.of("i32") : List.of(flip(right.results().get(0)))));
    return wrong;
  }

  private static String flip(String type) {
    return type.equals("i32") ? "i64" : "i32";
  }

  @Test
  void the_same_module_links_against_host_imports_built_from_the_table() {
    link(WasmBinary.importing(WasiFunctions.MODULE, WasiFunctions.ALL),
        ChicoryWasi.hostFunctions(new WasiHost(), new ArrayList<>()));
  }

  @Test
  void every_function_returns_one_i32_errno_except_proc_exit() {
    WasiFunctions.ALL.forEach((name, signature) -> {
      assertEquals(name.equals("proc_exit") ? List.of() : List.of("i32"), signature.results(), name);
      assertTrue(signature.params().stream().allMatch(t -> t.equals("i32") || t.equals("i64")), name);
    });
    assertEquals("(i32, i64, i32) -> (i32)", WasiFunctions.signature("clock_time_get").toString());
  }
}
