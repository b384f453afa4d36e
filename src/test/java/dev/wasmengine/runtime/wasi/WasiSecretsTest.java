package dev.wasmengine.runtime.wasi;

import static dev.wasmengine.runtime.wasi.WasiErrno.EBADF;
import static dev.wasmengine.runtime.wasi.WasiErrno.EFAULT;
import static dev.wasmengine.runtime.wasi.WasiErrno.EINVAL;
import static dev.wasmengine.runtime.wasi.WasiErrno.EISDIR;
import static dev.wasmengine.runtime.wasi.WasiErrno.EMFILE;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENAMETOOLONG;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOENT;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOTCAPABLE;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOTDIR;
import static dev.wasmengine.runtime.wasi.WasiErrno.ESPIPE;
import static dev.wasmengine.runtime.wasi.WasiErrno.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import dev.wasmengine.testing.Modules;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one read-only, in-memory directory a call may grant: its secret files at
 * /var/openfaas/secrets. First the real C guest {@code secret-reader} (wasi-libc's fopen,
 * opendir/readdir) on Chicory, then the host function by function through a pass-through module.
 */
class WasiSecretsTest {
  private static final int PAGE = Memory.PAGE_SIZE;
  // rights (preview1 witx): bit numbers
  private static final long FD_DATASYNC = 1L << 0;
  private static final long FD_READ = 1L << 1;
  private static final long FD_SEEK = 1L << 2;
  private static final long FD_TELL = 1L << 5;
  private static final long FD_WRITE = 1L << 6;
  private static final long FD_ADVISE = 1L << 7;
  private static final long PATH_OPEN = 1L << 13;
  private static final long FD_READDIR = 1L << 14;
  private static final long PATH_FILESTAT_GET = 1L << 18;
  private static final long FD_FILESTAT_GET = 1L << 21;
  private static final long FD_FILESTAT_SET_SIZE = 1L << 22;
  private static final long READ_FILE = FD_READ | FD_SEEK | FD_TELL | FD_ADVISE | FD_FILESTAT_GET;
  private static final long ALL_RIGHTS = (1L << 30) - 1;
  private static final int O_CREAT = 1;
  private static final int O_DIRECTORY = 2;
  private static final int O_EXCL = 4;
  private static final int O_TRUNC = 8;
  private static final int FDFLAG_APPEND = 1;
  private static final int FDFLAG_NONBLOCK = 4;

  private static final Map<String, byte[]> SECRETS = Map.of("db-password", utf8("s3cret"), "api-key", utf8("k"));

  // --- the real guest ------------------------------------------------------------------------

  /** What one run of the guest produced. */
  record Run(int status, List<String> lines, String stderr, List<String> calls) {}

  static Run run(Path wasm, String args, Map<String, byte[]> secrets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> calls = new ArrayList<>();
    WasiHost host = new WasiHost();
    Instance instance = ChicoryWasi.instantiate(ChicoryWasi.compile(wasm, Modules.bytes(wasm)), host, calls);
    int status;
    host.bind(new WasiCall(List.of(args), Map.of(), new byte[0], out, err, false, secrets));
    try {
      instance.export("_start").apply();
      status = 0;
    } catch (WasiExit exit) {
      status = exit.code();
    } finally {
      host.unbind();
    }
    return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8),
        calls);
  }

  static Run reader(String name, Map<String, byte[]> secrets) {
    return run(Modules.testGuest("secret-reader"), "{\"name\":\"" + name + "\"}", secrets);
  }

  @Test
  void the_guest_reads_its_secret_lists_the_directory_and_can_neither_write_nor_see_the_host() {
    Run run = reader("db-password", SECRETS);
    assertEquals(0, run.status(), run.stderr());
    assertEquals(List.of(
        "secret db-password=s3cret",
        "listing:",
        "api-key",
        "db-password",
        "write: refused",
        "host: no"), run.lines());
    assertEquals("", run.stderr());
    assertTrue(run.calls().containsAll(List.of("fd_prestat_dir_name", "path_open", "fd_read", "fd_readdir")),
        run.calls().toString());
  }

  @Test
  void a_write_attempt_changes_nothing_the_next_run_sees() {
    Map<String, byte[]> secrets = new HashMap<>(SECRETS);
    reader("db-password", secrets);
    assertEquals("secret db-password=s3cret", reader("db-password", secrets).lines().getFirst());
    assertArrayEquals(utf8("s3cret"), secrets.get("db-password"));
  }

  @Test
  void without_secrets_the_guest_sees_no_secret_no_directory_and_opens_no_path() {
    Run run = reader("db-password", Map.of());
    assertEquals(0, run.status());
    assertEquals(List.of("no secret db-password", "listing: none", "write: refused", "host: no"), run.lines());
    assertTrue(run.calls().contains("fd_prestat_get"), run.calls().toString());
    assertFalse(run.calls().contains("path_open"), "libc found no directory to open a path in: " + run.calls());
  }

  @Test
  void a_call_granting_secret_a_cannot_open_secret_b() {
    Map<String, byte[]> onlyApiKey = Map.of("api-key", utf8("k"));
    Run run = reader("db-password", onlyApiKey);
    assertEquals(List.of("no secret db-password", "listing:", "api-key", "write: refused", "host: no"), run.lines());
    assertEquals("secret api-key=k", reader("api-key", onlyApiKey).lines().getFirst());
  }

  @Test
  void names_that_climb_out_of_the_directory_or_into_it_twice_find_nothing() {
    for (String name : List.of("../secrets/db-password", "../../etc/passwd", "./../secrets/api-key",
        "db-password/", "db-password/.", "", "DB-PASSWORD", "nope")) {
      Run run = reader(name, SECRETS);
      assertEquals("no secret " + name, run.lines().getFirst(), name);
      assertEquals("write: refused", run.lines().get(run.lines().size() - 2), name);
    }
    assertEquals("secret ./db-password=s3cret", reader("./db-password", SECRETS).lines().getFirst());
    assertEquals("secret .//db-password=s3cret", reader(".//db-password", SECRETS).lines().getFirst());
  }

  @Test
  void contents_are_returned_byte_for_byte_whatever_their_size() {
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i % 26);
    }
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    secrets.put("big", big);
    secrets.put("empty", new byte[0]);
    secrets.put(".hidden", utf8("dot"));
    assertEquals("secret big=" + new String(big, StandardCharsets.US_ASCII), reader("big", secrets).lines().getFirst());
    Run empty = reader("empty", secrets);
    assertEquals(List.of("secret empty=", "listing:", ".hidden", "big", "empty", "write: refused", "host: no"),
        empty.lines());
  }

  @Test
  void the_sandbox_probe_still_sees_no_host_file_and_cannot_list_root_or_cwd_with_secrets_granted() {
    Run run = run(Modules.testGuest("sandbox-probe"), "{}", SECRETS);
    assertEquals(List.of("argc=1", "argv[0]={}", "env_count=0", "open_etc_passwd=no", "list_root=no", "list_cwd=no"),
        run.lines());
  }

  // --- function by function ------------------------------------------------------------------

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

  private void bind(Map<String, byte[]> secrets) {
    host.bind(new WasiCall(List.of(), Map.of(), new byte[0], OutputStream.nullOutputStream(),
        OutputStream.nullOutputStream(), false, secrets));
  }

  private int call(String function, long... args) {
    return (int) instance.export(function).apply(args)[0];
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static final int PATH = 4000;
  private static final int RESULT = 3996;

  /** path_open(dirFd, path, oflags, rights, fdflags); the new fd or -errno. */
  private int open(int dirFd, String path, int oflags, long rights, int fdflags) {
    byte[] bytes = utf8(path);
    memory.write(PATH, bytes);
    memory.writeI32(RESULT, -1);
    int errno = call("path_open", dirFd, 1, PATH, bytes.length, oflags, rights, rights, fdflags, RESULT);
    if (errno != SUCCESS) {
      assertEquals(-1, memory.readInt(RESULT), "no fd written on error");
      return -errno;
    }
    return memory.readInt(RESULT);
  }

  private int open(String path) {
    return open(3, path, 0, READ_FILE, 0);
  }

  private void iovec(int at, int buffer, int length) {
    memory.writeI32(at, buffer);
    memory.writeI32(at + 4, length);
  }

  /** fd_read of up to {@code max} bytes into one buffer, as text. */
  private String read(int fd, int max) {
    iovec(100, 1000, max);
    assertEquals(SUCCESS, call("fd_read", fd, 100, 1, 200));
    return new String(memory.readBytes(1000, memory.readInt(200)), StandardCharsets.UTF_8);
  }

  @Test
  void fd_3_is_the_one_preopen_named_var_openfaas_secrets() {
    bind(SECRETS);
    memory.write(700, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
    assertEquals(SUCCESS, call("fd_prestat_get", 3, 700));
    assertEquals(0, memory.read(700), "preopentype dir");
    assertEquals("/var/openfaas/secrets".length(), memory.readInt(704));
    assertEquals(SUCCESS, call("fd_prestat_dir_name", 3, 800, 21));
    assertEquals("/var/openfaas/secrets", new String(memory.readBytes(800, 21), StandardCharsets.UTF_8));
    assertEquals(ENAMETOOLONG, call("fd_prestat_dir_name", 3, 800, 20));
    for (long fd : new long[] {0, 1, 2, 4, 5, 100, -1}) {
      assertEquals(EBADF, call("fd_prestat_get", fd, 700), "fd " + fd);
      assertEquals(EBADF, call("fd_prestat_dir_name", fd, 800, 64), "fd " + fd);
    }
    assertEquals(EFAULT, call("fd_prestat_get", 3, PAGE - 4));
    assertEquals(EFAULT, call("fd_prestat_dir_name", 3, PAGE - 20, 21));
  }

  @Test
  void the_directory_is_a_directory_with_path_rights_and_read_rights_to_inherit() {
    bind(SECRETS);
    assertEquals(SUCCESS, call("fd_fdstat_get", 3, 500));
    assertEquals(3, memory.read(500), "filetype DIRECTORY");
    assertEquals(0, memory.readShort(502));
    long rights = memory.readLong(508);
    long inheriting = memory.readLong(516);
    assertEquals(PATH_OPEN | FD_READDIR | PATH_FILESTAT_GET | FD_FILESTAT_GET, rights);
    assertEquals(READ_FILE, inheriting & READ_FILE);
    assertEquals(0, inheriting & ((1L << 9) | (1L << 10)), "no path_create_directory, path_create_file");
    assertEquals(SUCCESS, call("fd_filestat_get", 3, 600));
    assertEquals(3, memory.read(616), "filetype");
    assertEquals(1L, memory.readLong(608), "inode");
  }

  @Test
  void a_file_opens_for_reading_with_its_own_position_size_and_read_rights_only() {
    bind(SECRETS);
    int fd = open("db-password");
    assertEquals(4, fd, "the lowest free fd");
    assertEquals(SUCCESS, call("fd_fdstat_get", fd, 500));
    assertEquals(4, memory.read(500), "REGULAR_FILE");
    assertEquals(READ_FILE, memory.readLong(508));
    assertEquals(0L, memory.readLong(516));
    assertEquals(SUCCESS, call("fd_filestat_get", fd, 600));
    assertEquals(4, memory.read(616), "filetype");
    assertEquals(1L, memory.readLong(624), "nlink");
    assertEquals(6L, memory.readLong(632), "size");
    long inode = memory.readLong(608);

    assertEquals("s3", read(fd, 2));
    assertEquals(SUCCESS, call("fd_tell", fd, 900));
    assertEquals(2L, memory.readLong(900));
    assertEquals("cret", read(fd, 100));
    assertEquals("", read(fd, 100), "end of file");
    assertEquals(SUCCESS, call("fd_seek", fd, -3L, 2, 900));
    assertEquals(3L, memory.readLong(900));
    assertEquals("ret", read(fd, 100));
    assertEquals(SUCCESS, call("fd_seek", fd, 1L, 0, 900));
    assertEquals(SUCCESS, call("fd_seek", fd, 1L, 1, 900));
    assertEquals(2L, memory.readLong(900));
    assertEquals(EINVAL, call("fd_seek", fd, -3L, 1, 900), "before the start");
    assertEquals(EINVAL, call("fd_seek", fd, 0L, 3, 900), "unknown whence");
    assertEquals(SUCCESS, call("fd_seek", fd, 100L, 0, 900), "beyond the end is allowed");
    assertEquals("", read(fd, 10));

    iovec(100, 1000, 3);
    assertEquals(SUCCESS, call("fd_pread", fd, 100, 1, 1L, 200));
    assertEquals(3, memory.readInt(200));
    assertEquals("3cr", new String(memory.readBytes(1000, 3), StandardCharsets.UTF_8));
    assertEquals(SUCCESS, call("fd_tell", fd, 900));
    assertEquals(100L, memory.readLong(900), "pread leaves the position alone");

    int other = open("./api-key");
    assertEquals(5, other);
    assertEquals("k", read(other, 10));
    assertEquals(SUCCESS, call("fd_filestat_get", other, 600));
    assertNotEquals(inode, memory.readLong(608), "each file its own inode");

    assertEquals(SUCCESS, call("fd_close", fd));
    assertEquals(EBADF, call("fd_read", fd, 100, 1, 200));
    assertEquals(4, open("db-password"), "the freed fd is reused");
  }

  @Test
  void writes_and_changes_to_a_file_are_refused() {
    bind(SECRETS);
    int fd = open("db-password");
    memory.write(1000, utf8("x"));
    iovec(100, 1000, 1);
    assertEquals(EBADF, call("fd_write", fd, 100, 1, 200));
    assertEquals(EBADF, call("fd_pwrite", fd, 100, 1, 0L, 200));
    assertEquals(ENOTCAPABLE, call("fd_allocate", fd, 0L, 10L));
    assertEquals(ENOTCAPABLE, call("fd_filestat_set_size", fd, 0L));
    assertEquals(ENOTCAPABLE, call("fd_filestat_set_times", fd, 0L, 0L, 0));
    assertEquals(ENOTCAPABLE, call("fd_fdstat_set_rights", fd, READ_FILE | FD_WRITE, 0L));
    assertEquals(ENOTDIR, call("fd_readdir", fd, 1000, 100, 0L, 200));
    assertEquals(SUCCESS, call("fd_advise", fd, 0L, 0L, 1));
    assertEquals(SUCCESS, call("fd_sync", fd));
    assertEquals("s3cret", read(fd, 100), "still the same bytes");
    assertEquals(SUCCESS, call("fd_fdstat_set_rights", fd, FD_SEEK | FD_TELL, 0L), "rights can be dropped");
    iovec(100, 1000, 1);
    assertEquals(ENOTCAPABLE, call("fd_read", fd, 100, 1, 200));
    assertEquals(ENOTCAPABLE, call("fd_filestat_get", fd, 600));
    assertEquals(SUCCESS, call("fd_seek", fd, 0L, 0, 900));
  }

  @Test
  void path_open_refuses_absolute_paths_dot_dot_and_anything_that_would_create_or_write() {
    bind(SECRETS);
    assertEquals(-ENOTCAPABLE, open("/var/openfaas/secrets/db-password"));
    assertEquals(-ENOTCAPABLE, open("/db-password"));
    assertEquals(-ENOTCAPABLE, open(".."));
    assertEquals(-ENOTCAPABLE, open("../secrets/db-password"));
    assertEquals(-ENOTCAPABLE, open("./../db-password"));
    assertEquals(-ENOTCAPABLE, open("db-password/../api-key"));
    for (int oflags : new int[] {O_CREAT, O_TRUNC, O_EXCL, O_CREAT | O_EXCL, O_CREAT | O_TRUNC}) {
      assertEquals(-ENOTCAPABLE, open(3, "db-password", oflags, READ_FILE, 0), "oflags " + oflags);
      assertEquals(-ENOTCAPABLE, open(3, "new-file", oflags, READ_FILE, 0), "oflags " + oflags);
    }
    assertEquals(-ENOTCAPABLE, open(3, "db-password", 0, READ_FILE | FD_WRITE, 0));
    assertEquals(-ENOTCAPABLE, open(3, "db-password", 0, FD_WRITE, 0));
    assertEquals(-ENOTCAPABLE, open(3, "db-password", 0, FD_DATASYNC, 0));
    assertEquals(-ENOTCAPABLE, open(3, "db-password", 0, FD_FILESTAT_SET_SIZE, 0));
    assertEquals(-ENOTCAPABLE, open(3, "db-password", 0, READ_FILE, FDFLAG_APPEND));
    assertEquals(-EISDIR, open(3, ".", O_DIRECTORY, READ_FILE | FD_WRITE, 0));
    assertEquals(-EINVAL, open(3, "db-password", 16, READ_FILE, 0), "unknown oflags");
    assertEquals(-EINVAL, open(3, "db-password", 0, READ_FILE, 32), "unknown fdflags");
    assertEquals(4, open("db-password"), "nothing was opened before");
  }

  @Test
  void path_open_answers_enoent_enotdir_for_missing_names_and_paths_through_files() {
    bind(SECRETS);
    assertEquals(-ENOENT, open("nope"));
    assertEquals(-ENOENT, open(""));
    assertEquals(-ENOENT, open("DB-PASSWORD"), "names are case-sensitive");
    assertEquals(-ENOENT, open("sub/db-password"));
    assertEquals(-ENOTDIR, open("db-password/"));
    assertEquals(-ENOTDIR, open("db-password/x"));
    assertEquals(-ENOTDIR, open("db-password/."));
    assertEquals(-ENOTDIR, open(3, "db-password", O_DIRECTORY, READ_FILE, 0), "DIRECTORY on a file");
    memory.write(PATH, new byte[] {'a', 'p', 'i', '-', 'k', 'e', 'y', 0});
    assertEquals(ENOENT, call("path_open", 3, 1, PATH, 8, 0, READ_FILE, 0L, 0, RESULT), "a NUL is part of the name");
    memory.write(PATH, new byte[] {(byte) 0xC3, (byte) 0xA9});
    assertEquals(ENOENT, call("path_open", 3, 1, PATH, 2, 0, READ_FILE, 0L, 0, RESULT));
    assertEquals(ENAMETOOLONG, call("path_open", 3, 1, 0, 4097, 0, READ_FILE, 0L, 0, RESULT));
    assertEquals(EFAULT, call("path_open", 3, 1, PAGE - 4, 8, 0, READ_FILE, 0L, 0, RESULT));
  }

  @Test
  void path_open_needs_a_directory_fd() {
    bind(SECRETS);
    int fd = open("api-key");
    assertEquals(-ENOTDIR, open(fd, "api-key", 0, READ_FILE, 0));
    assertEquals(-ENOTCAPABLE, open(1, "api-key", 0, READ_FILE, 0), "stdout");
    assertEquals(-ENOTCAPABLE, open(42, "api-key", 0, READ_FILE, 0), "not open");
    assertEquals(SUCCESS, call("fd_close", 3));
    assertEquals(-ENOTCAPABLE, open("api-key"), "the preopen was closed");
    assertEquals(EBADF, call("fd_prestat_get", 3, 700));
  }

  @Test
  void requested_rights_are_granted_only_as_far_as_a_read_only_file_allows() {
    bind(SECRETS);
    int fd = open(3, "db-password", 0, ALL_RIGHTS & ~(FD_WRITE | FD_DATASYNC | (1L << 8) | FD_FILESTAT_SET_SIZE), 0);
    assertEquals(SUCCESS, call("fd_fdstat_get", fd, 500));
    assertEquals(READ_FILE, memory.readLong(508), "what Rust's std asks for, cut down");
    int tellOnly = open(3, "db-password", 0, FD_TELL, FDFLAG_NONBLOCK);
    iovec(100, 1000, 4);
    assertEquals(ENOTCAPABLE, call("fd_read", tellOnly, 100, 1, 200));
    assertEquals(ENOTCAPABLE, call("fd_pread", tellOnly, 100, 1, 0L, 200));
    assertEquals(ENOTCAPABLE, call("fd_seek", tellOnly, 1L, 0, 900));
    assertEquals(SUCCESS, call("fd_seek", tellOnly, 0L, 1, 900), "(0, CUR) is a tell");
    assertEquals(SUCCESS, call("fd_tell", tellOnly, 900));
  }

  /** Entries of an fd_readdir buffer: name to {d_next, d_ino, d_type}. */
  private Map<String, List<Long>> dirents(int at, int used) {
    Map<String, List<Long>> entries = new LinkedHashMap<>();
    int offset = 0;
    while (offset + 24 <= used) {
      int length = memory.readInt(at + offset + 16);
      if (offset + 24 + length > used) {
        break;
      }
      String name = new String(memory.readBytes(at + offset + 24, length), StandardCharsets.UTF_8);
      entries.put(name, List.of(memory.readLong(at + offset), memory.readLong(at + offset + 8),
          (long) memory.read(at + offset + 20)));
      offset += 24 + length;
    }
    return entries;
  }

  @Test
  void fd_readdir_lists_dot_dot_dot_and_the_files_in_name_order_with_cookies() {
    bind(SECRETS);
    assertEquals(SUCCESS, call("fd_readdir", 3, 1000, 2000, 0L, 200));
    int used = memory.readInt(200);
    assertEquals(4 * 24 + 1 + 2 + 7 + 11, used);
    Map<String, List<Long>> entries = dirents(1000, used);
    assertEquals(List.of(".", "..", "api-key", "db-password"), List.copyOf(entries.keySet()));
    assertEquals(List.of(1L, 1L, 3L), entries.get("."));
    assertEquals(List.of(3L, 2L, 4L), entries.get("api-key"));
    assertEquals(List.of(4L, 3L, 4L), entries.get("db-password"));

    assertEquals(SUCCESS, call("fd_readdir", 3, 1000, 2000, 3L, 200), "from the cookie of db-password");
    assertEquals(List.of("db-password"), List.copyOf(dirents(1000, memory.readInt(200)).keySet()));
    assertEquals(SUCCESS, call("fd_readdir", 3, 1000, 2000, 4L, 200));
    assertEquals(0, memory.readInt(200), "the end");
    assertEquals(SUCCESS, call("fd_readdir", 3, 1000, 2000, 99L, 200));
    assertEquals(0, memory.readInt(200));

    assertEquals(SUCCESS, call("fd_readdir", 3, 1000, 60, 0L, 200));
    assertEquals(60, memory.readInt(200), "a full buffer: the last entry cut off");
    assertEquals(List.of(".", ".."), List.copyOf(dirents(1000, 60).keySet()));

    assertEquals(EFAULT, call("fd_readdir", 3, PAGE - 10, 20, 0L, 200));
    assertEquals(ENOTDIR, call("fd_readdir", 1, 1000, 100, 0L, 200));
    assertEquals(EBADF, call("fd_readdir", 9, 1000, 100, 0L, 200));
  }

  @Test
  void the_directory_opens_from_dot_as_libc_opendir_does_and_lists_the_same() {
    bind(SECRETS);
    int dir = open(3, ".", O_DIRECTORY, ALL_RIGHTS & ~(FD_WRITE | FD_DATASYNC | (1L << 8) | FD_FILESTAT_SET_SIZE),
        FDFLAG_NONBLOCK);
    assertEquals(4, dir);
    assertEquals(SUCCESS, call("fd_fdstat_get", dir, 500));
    assertEquals(3, memory.read(500));
    assertEquals(EBADF, call("fd_prestat_get", dir, 700), "not a preopen");
    assertEquals(SUCCESS, call("fd_readdir", dir, 1000, 2000, 0L, 200));
    assertEquals(List.of(".", "..", "api-key", "db-password"),
        List.copyOf(dirents(1000, memory.readInt(200)).keySet()));
    assertEquals(5, open(dir, "api-key", 0, READ_FILE, 0));
    assertEquals(6, open(3, "./", 0, READ_FILE, 0), "a directory opens without O_DIRECTORY too");
    iovec(100, 1000, 4);
    assertEquals(EISDIR, call("fd_read", dir, 100, 1, 200));
    assertEquals(EISDIR, call("fd_seek", dir, 0L, 0, 900));
    assertEquals(EBADF, call("fd_write", dir, 100, 1, 200));
  }

  @Test
  void path_filestat_get_describes_a_file_or_the_directory() {
    bind(SECRETS);
    memory.write(PATH, utf8("db-password"));
    assertEquals(SUCCESS, call("path_filestat_get", 3, 1, PATH, 11, 600));
    assertEquals(4, memory.read(616));
    assertEquals(6L, memory.readLong(632));
    assertEquals(3L, memory.readLong(608), "the inode readdir gave");
    memory.write(PATH, utf8("."));
    assertEquals(SUCCESS, call("path_filestat_get", 3, 1, PATH, 1, 600));
    assertEquals(3, memory.read(616));
    memory.write(PATH, utf8("nope"));
    assertEquals(ENOENT, call("path_filestat_get", 3, 1, PATH, 4, 600));
    memory.write(PATH, utf8("../x"));
    assertEquals(ENOTCAPABLE, call("path_filestat_get", 3, 1, PATH, 4, 600));
    assertEquals(ENOTCAPABLE, call("path_filestat_get", 1, 1, PATH, 4, 600));
  }

  @Test
  void every_other_path_function_is_not_capable_even_in_the_directory() {
    bind(SECRETS);
    memory.write(PATH, utf8("db-password"));
    for (String function : List.of("path_create_directory", "path_filestat_set_times", "path_link",
        "path_readlink", "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file")) {
      long[] args = new long[WasiFunctions.signature(function).params().size()];
      args[0] = 3;
      args[1] = PATH;
      args[2] = 11;
      assertEquals(ENOTCAPABLE, (int) instance.export(function).apply(args)[0], function);
    }
    assertEquals("s3cret", read(open("db-password"), 100), "still there, unchanged");
  }

  @Test
  void a_guest_can_hold_at_most_1024_descriptors() {
    bind(SECRETS);
    for (int fd = 4; fd < 1024; fd++) {
      assertEquals(fd, open("api-key"));
    }
    assertEquals(-EMFILE, open("api-key"));
    assertEquals(SUCCESS, call("fd_close", 500));
    assertEquals(500, open("api-key"));
  }

  @Test
  void a_bad_result_pointer_is_efault_and_opens_nothing() {
    bind(SECRETS);
    memory.write(PATH, utf8("api-key"));
    assertEquals(EFAULT, call("path_open", 3, 1, PATH, 7, 0, READ_FILE, 0L, 0, PAGE - 2));
    assertEquals(4, open("api-key"), "fd 4 is still free");
  }

  @Test
  void the_directory_belongs_to_the_bound_call_only() {
    bind(SECRETS);
    int fd = open("db-password");
    host.unbind();
    assertEquals(EBADF, call("fd_prestat_get", 3, 700));
    assertEquals(EBADF, call("fd_read", fd, 100, 1, 200));
    bind(Map.of("other", utf8("o")));
    assertEquals(-ENOENT, open("db-password"));
    assertEquals("o", read(open("other"), 10));
    host.unbind();
    bind(Map.of());
    assertEquals(EBADF, call("fd_prestat_get", 3, 700));
    assertEquals(-ENOTCAPABLE, open("other"));
  }

  @Test
  void stdio_keeps_its_behaviour_next_to_the_directory() {
    bind(SECRETS);
    assertEquals(ESPIPE, call("fd_seek", 1, 0L, 0, 900));
    assertEquals(ENOTDIR, call("fd_readdir", 1, 1000, 10, 0L, 200));
    assertEquals(SUCCESS, call("fd_fdstat_get", 0, 500));
    assertEquals(2, memory.read(500));
    assertEquals(SUCCESS, call("fd_renumber", 3, 1), "the preopen can be moved");
    assertEquals(SUCCESS, call("fd_prestat_get", 1, 700));
    assertEquals(EBADF, call("fd_prestat_get", 3, 700));
  }

  // --- the call ------------------------------------------------------------------------------

  @Test
  void a_call_copies_its_secret_files_and_refuses_names_that_are_not_plain_file_names() {
    byte[] content = utf8("v");
    Map<String, byte[]> files = new HashMap<>(Map.of("a", content));
    OutputStream none = OutputStream.nullOutputStream();
    WasiCall call = new WasiCall(List.of(), Map.of(), new byte[0], none, none, false, files);
    content[0] = 'X';
    files.put("b", utf8("w"));
    assertEquals(List.of("a"), List.copyOf(call.secretFiles().keySet()));
    assertArrayEquals(utf8("v"), call.secretFiles().get("a"));
    call.secretFiles().get("a")[0] = 'Y';
    assertArrayEquals(utf8("v"), call.secretFiles().get("a"));
    assertTrue(call.hasSecretFiles());
    for (String bad : List.of("", ".", "..", "a/b", "/a", "a\0b", "é", "a b", "a\\b")) {
      assertThrows(IllegalArgumentException.class,
          () -> new WasiCall(List.of(), Map.of(), new byte[0], none, none, false, Map.of(bad, new byte[0])), bad);
    }
    assertEquals(Map.of(), new WasiCall(List.of(), Map.of(), new byte[0], none, none, false).secretFiles());
    assertFalse(WasiCall.none().hasSecretFiles());
    WasiCall with = WasiCall.none().withSecretFiles(Map.of("k", utf8("1"), "...", utf8("2"), "A_b-c.9", utf8("3")));
    assertEquals(List.of("...", "A_b-c.9", "k"), List.copyOf(with.secretFiles().keySet()));
    assertEquals("/var/openfaas/secrets", WasiCall.SECRETS_PATH);
  }
}
