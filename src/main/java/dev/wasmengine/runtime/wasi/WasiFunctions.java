package dev.wasmengine.runtime.wasi;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wasm type of every wasi_snapshot_preview1 function, as a guest imports it: pointers,
 * sizes, file descriptors and flags are {@code i32}; offsets, lengths of files, rights and
 * timestamps are {@code i64}; every function answers one {@code i32} errno except
 * {@code proc_exit}, which returns nothing. Runtime adapters build their host imports from this
 * table; {@code WasiFunctionsTest} checks it against Chicory's own WASI host.
 */
public final class WasiFunctions {
  /** The import module name guests use. */
  public static final String MODULE = "wasi_snapshot_preview1";

  /** A function's wasm type: value types {@code "i32"} or {@code "i64"}. */
  public record Signature(List<String> params, List<String> results) {
    public Signature {
      params = List.copyOf(params);
      results = List.copyOf(results);
    }

    @Override
    public String toString() {
      return "(" + String.join(", ", params) + ") -> (" + String.join(", ", results) + ")";
    }
  }

  private static final String I32 = "i32";
  private static final String I64 = "i64";
  private static final List<String> ERRNO = List.of(I32);

  /** All 46 functions, in the order of the preview1 specification. */
  public static final Map<String, Signature> ALL;

  static {
    Map<String, Signature> all = new LinkedHashMap<>();
    errno(all, "args_get", I32, I32);
    errno(all, "args_sizes_get", I32, I32);
    errno(all, "environ_get", I32, I32);
    errno(all, "environ_sizes_get", I32, I32);
    errno(all, "clock_res_get", I32, I32);
    errno(all, "clock_time_get", I32, I64, I32);
    errno(all, "fd_advise", I32, I64, I64, I32);
    errno(all, "fd_allocate", I32, I64, I64);
    errno(all, "fd_close", I32);
    errno(all, "fd_datasync", I32);
    errno(all, "fd_fdstat_get", I32, I32);
    errno(all, "fd_fdstat_set_flags", I32, I32);
    errno(all, "fd_fdstat_set_rights", I32, I64, I64);
    errno(all, "fd_filestat_get", I32, I32);
    errno(all, "fd_filestat_set_size", I32, I64);
    errno(all, "fd_filestat_set_times", I32, I64, I64, I32);
    errno(all, "fd_pread", I32, I32, I32, I64, I32);
    errno(all, "fd_prestat_get", I32, I32);
    errno(all, "fd_prestat_dir_name", I32, I32, I32);
    errno(all, "fd_pwrite", I32, I32, I32, I64, I32);
    errno(all, "fd_read", I32, I32, I32, I32);
    errno(all, "fd_readdir", I32, I32, I32, I64, I32);
    errno(all, "fd_renumber", I32, I32);
    errno(all, "fd_seek", I32, I64, I32, I32);
    errno(all, "fd_sync", I32);
    errno(all, "fd_tell", I32, I32);
    errno(all, "fd_write", I32, I32, I32, I32);
    errno(all, "path_create_directory", I32, I32, I32);
    errno(all, "path_filestat_get", I32, I32, I32, I32, I32);
    errno(all, "path_filestat_set_times", I32, I32, I32, I32, I64, I64, I32);
    errno(all, "path_link", I32, I32, I32, I32, I32, I32, I32);
    errno(all, "path_open", I32, I32, I32, I32, I32, I64, I64, I32, I32);
    errno(all, "path_readlink", I32, I32, I32, I32, I32, I32);
    errno(all, "path_remove_directory", I32, I32, I32);
    errno(all, "path_rename", I32, I32, I32, I32, I32, I32);
    errno(all, "path_symlink", I32, I32, I32, I32, I32);
    errno(all, "path_unlink_file", I32, I32, I32);
    errno(all, "poll_oneoff", I32, I32, I32, I32);
    all.put("proc_exit", new Signature(List.of(I32), List.of()));
    errno(all, "proc_raise", I32);
    errno(all, "sched_yield");
    errno(all, "random_get", I32, I32);
    errno(all, "sock_accept", I32, I32, I32);
    errno(all, "sock_recv", I32, I32, I32, I32, I32, I32);
    errno(all, "sock_send", I32, I32, I32, I32, I32);
    errno(all, "sock_shutdown", I32, I32);
    ALL = Collections.unmodifiableMap(all);
  }

  private WasiFunctions() {}

  private static void errno(Map<String, Signature> all, String name, String... params) {
    all.put(name, new Signature(Arrays.asList(params), ERRNO));
  }

  /** The type of one function; {@code null} if preview1 has no function of that name. */
  public static Signature signature(String name) {
    return ALL.get(name);
  }
}
