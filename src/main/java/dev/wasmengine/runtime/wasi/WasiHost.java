package dev.wasmengine.runtime.wasi;

import static dev.wasmengine.runtime.wasi.WasiErrno.EBADF;
import static dev.wasmengine.runtime.wasi.WasiErrno.EFAULT;
import static dev.wasmengine.runtime.wasi.WasiErrno.EINVAL;
import static dev.wasmengine.runtime.wasi.WasiErrno.EIO;
import static dev.wasmengine.runtime.wasi.WasiErrno.EISDIR;
import static dev.wasmengine.runtime.wasi.WasiErrno.EMFILE;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENAMETOOLONG;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOENT;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOSYS;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOTCAPABLE;
import static dev.wasmengine.runtime.wasi.WasiErrno.ENOTDIR;
import static dev.wasmengine.runtime.wasi.WasiErrno.ESPIPE;
import static dev.wasmengine.runtime.wasi.WasiErrno.SUCCESS;

import dev.wasmengine.error.TrapException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The engine's own wasi_snapshot_preview1, provided to a module as ordinary host imports. One
 * host belongs to one guest instance and is created with it, before any call is known; the call's
 * grants are bound just before {@code _start} or an export runs and unbound after it:
 *
 * <pre>{@code
 * WasiHost wasi = new WasiHost();            // at instantiation; imports call wasi.invoke(...)
 * ...
 * wasi.bind(WasiCall.of(context, false));    // on the request path
 * try { instance.call("_start"); } catch (WasiExit exit) { status = exit.code(); }
 * finally { wasi.unbind(); }
 * }</pre>
 *
 * <p>The sandbox: a guest sees nothing of the host but what the call grants.
 * <ul>
 *   <li>{@code args_*}: the call's argv exactly; {@code environ_*}: its environment as
 *       {@code NAME=value} strings, sorted by name.
 *   <li>fd 0 reads the call's stdin bytes (then end of file), fd 1 and 2 write to its stdout and
 *       stderr. They are character devices with every right, not seekable ({@code ESPIPE}); closing
 *       one succeeds and later use gives {@code EBADF}. Every other fd is {@code EBADF} unless
 *       opened as below.
 *   <li>A call without secret files has no preopened directory ({@code fd_prestat_get} is
 *       {@code EBADF} for every fd, so libc's {@code fopen} and {@code opendir} fail by
 *       themselves) and every {@code path_*} function answers {@code ENOTCAPABLE}.
 *   <li>A call with secret files ({@link WasiCall#secretFiles()}) has exactly one: fd 3 is the
 *       read-only, in-memory directory {@link WasiCall#SECRETS_PATH} holding those files and
 *       nothing else (no subdirectories; nothing of the host's filesystem is ever touched).
 *       See "The secrets directory" below.
 *   <li>Every {@code sock_*} function answers {@code ENOTCAPABLE}.
 *   <li>Clocks: realtime (0) is the host's time only if the call grants it, else 0 (the epoch);
 *       monotonic (1) and the CPU-time clocks (2, 3) count nanoseconds since the call was bound
 *       (since creation or the last unbind while unbound); any other id is {@code EINVAL}.
 *       Resolution 1000 ns.
 *   <li>{@code random_get} draws from one SecureRandom shared by the process.
 *       {@code poll_oneoff} (hence sleeping) and {@code proc_raise} are {@code ENOSYS};
 *       {@code sched_yield} succeeds; {@code proc_exit} throws {@link WasiExit}.
 *   <li>A pointer outside guest memory gives {@code EFAULT}: the {@link TrapException} of
 *       {@link GuestMemory} never leaves {@link #invoke}.
 * </ul>
 * Other fd operations on stdio: {@code fd_advise}, {@code fd_allocate}, {@code fd_pread},
 * {@code fd_pwrite}, {@code fd_seek}, {@code fd_tell} answer {@code ESPIPE};
 * {@code fd_sync}/{@code fd_datasync} flush the stream and succeed; {@code fd_readdir}
 * {@code ENOTDIR}; {@code fd_filestat_set_size} {@code EINVAL}; {@code fd_filestat_set_times}
 * {@code ENOSYS}; {@code fd_fdstat_set_flags} and {@code fd_fdstat_set_rights} succeed only when
 * they change nothing, else {@code ENOSYS}; {@code fd_renumber} moves one open descriptor onto
 * another open fd.
 *
 * <p>The secrets directory. {@code fd_prestat_get(3)} answers a directory prestat whose name is
 * {@link WasiCall#SECRETS_PATH} (what {@code fd_prestat_dir_name} writes, without NUL;
 * {@code ENAMETOOLONG} if the buffer is shorter); no other fd is a preopen. The directory's
 * fdstat is {@code DIRECTORY} with rights {@code path_open}, {@code fd_readdir},
 * {@code path_filestat_get}, {@code fd_filestat_get}; its inheriting rights are those plus the
 * read rights of a file ({@code fd_read}, {@code fd_seek}, {@code fd_tell}, {@code fd_advise},
 * {@code fd_filestat_get}) and also the write rights {@code fd_datasync}, {@code fd_write},
 * {@code fd_allocate}, {@code fd_filestat_set_size}: libc masks what it asks for with these, so
 * advertising the write rights makes it ask for them exactly when the guest opens for writing,
 * and such an open is refused at once instead of yielding a descriptor whose writes all fail.
 * <ul>
 *   <li>{@code path_open} on a directory descriptor needs {@code path_open}. The path is
 *       relative: absolute paths and any {@code ".."} component are {@code ENOTCAPABLE};
 *       {@code "."} components and repeated slashes are ignored, so {@code "."} is the directory
 *       itself and {@code "./name"} a file. {@code oflags} {@code CREAT}, {@code EXCL} or
 *       {@code TRUNC} are {@code ENOTCAPABLE} (nothing is ever created or changed), unknown
 *       {@code oflags} or {@code fdflags} bits {@code EINVAL}; a missing name is {@code ENOENT},
 *       a path through a file ({@code "name/x"}, {@code "name/"}) or {@code DIRECTORY} on a file
 *       {@code ENOTDIR}; an empty path {@code ENOENT}; a path over 4096 bytes
 *       {@code ENAMETOOLONG}. Asking for a write right or the {@code APPEND}, {@code DSYNC} or
 *       {@code SYNC} fdflags is {@code ENOTCAPABLE} for a file, {@code EISDIR} for the directory.
 *       Other requested rights are granted as far as the directory's inheriting rights (and the
 *       kind of descriptor) allow, silently less (as WASI permits). The new fd is the lowest
 *       free one; at most 1024 descriptors are open at once ({@code EMFILE}). {@code path_open}
 *       on a file descriptor is {@code ENOTDIR}, on stdio or an fd that is not open
 *       {@code ENOTCAPABLE}, as without a directory.
 *   <li>File descriptors: {@code REGULAR_FILE}, read only. {@code fd_read} and {@code fd_pread}
 *       (needs {@code fd_read}), {@code fd_seek} ({@code fd_seek}, or {@code fd_tell} for
 *       {@code (0, CUR)}; beyond the end is allowed, before 0 {@code EINVAL}), {@code fd_tell},
 *       {@code fd_filestat_get} (size = content length, nlink 1, inode 2 and up in name order,
 *       device and times 0), {@code fd_fdstat_get} (the granted rights, no inheriting rights),
 *       {@code fd_advise}, {@code fd_sync} and {@code fd_datasync} (nothing to do),
 *       {@code fd_close}. {@code fd_write} and {@code fd_pwrite} are {@code EBADF};
 *       {@code fd_allocate}, {@code fd_filestat_set_size} and {@code fd_filestat_set_times}
 *       {@code ENOTCAPABLE}; {@code fd_readdir} {@code ENOTDIR}. A missing right is
 *       {@code ENOTCAPABLE}.
 *   <li>Directory descriptors (the preopen, and any opened from {@code "."}): {@code fd_readdir}
 *       lists {@code "."}, {@code ".."}, then the files in name order (dirents of 24 bytes,
 *       {@code d_next} u64, {@code d_ino} u64, {@code d_namlen} u32, {@code d_type} u8, then
 *       the name; the cookie is the entry's index; the last entry that does not fit is cut
 *       off, as preview1 specifies); {@code fd_filestat_get} (inode 1, nlink 2, size 0);
 *       {@code path_filestat_get} for {@code "."} or a file name; reads, seeks and sizes are
 *       {@code EISDIR}, writes {@code EBADF}.
 *   <li>{@code fd_fdstat_set_rights} on a file or directory may only drop rights
 *       ({@code ENOTCAPABLE} otherwise). Every other {@code path_*} function (create, link,
 *       readlink, remove, rename, symlink, unlink, set times) answers {@code ENOTCAPABLE}.
 * </ul>
 *
 * <p>While no call is bound (for instance during instantiation) the host behaves as if
 * {@link WasiCall#none()} were bound: no argv, no environment, empty stdin, output dropped.
 *
 * <p>Not thread-safe: like its instance, a host is used by one thread at a time (a hand-over
 * between threads must be ordered, as a pool hand-over is). Exceptions thrown by the call's
 * output streams other than {@link IOException} (which becomes {@code EIO}) propagate out of
 * {@link #invoke}.
 */
public final class WasiHost {
  /** Every right preview1 defines, bits 0 ({@code fd_datasync}) to 29 ({@code sock_accept}). */
  static final long ALL_RIGHTS = (1L << 30) - 1;
  static final long RIGHT_FD_DATASYNC = 1L << 0;
  static final long RIGHT_FD_READ = 1L << 1;
  static final long RIGHT_FD_SEEK = 1L << 2;
  static final long RIGHT_FD_TELL = 1L << 5;
  static final long RIGHT_FD_WRITE = 1L << 6;
  static final long RIGHT_FD_ADVISE = 1L << 7;
  static final long RIGHT_FD_ALLOCATE = 1L << 8;
  static final long RIGHT_PATH_OPEN = 1L << 13;
  static final long RIGHT_FD_READDIR = 1L << 14;
  static final long RIGHT_PATH_FILESTAT_GET = 1L << 18;
  static final long RIGHT_FD_FILESTAT_GET = 1L << 21;
  static final long RIGHT_FD_FILESTAT_SET_SIZE = 1L << 22;
  /** What a secret file descriptor can be granted. */
  static final long FILE_RIGHTS =
      RIGHT_FD_READ | RIGHT_FD_SEEK | RIGHT_FD_TELL | RIGHT_FD_ADVISE | RIGHT_FD_FILESTAT_GET;
  /** What the secrets directory (and a directory descriptor opened from it) can be granted. */
  static final long DIRECTORY_RIGHTS =
      RIGHT_PATH_OPEN | RIGHT_FD_READDIR | RIGHT_PATH_FILESTAT_GET | RIGHT_FD_FILESTAT_GET;
  /** The rights libc and Rust's std ask for only when opening for writing: never granted. */
  static final long WRITE_RIGHTS =
      RIGHT_FD_DATASYNC | RIGHT_FD_WRITE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_SET_SIZE;
  /** The preopen's inheriting rights (see the class comment for why the write rights are in). */
  static final long DIRECTORY_INHERITING = DIRECTORY_RIGHTS | FILE_RIGHTS | WRITE_RIGHTS;
  static final int OFLAG_CREAT = 1;
  static final int OFLAG_DIRECTORY = 2;
  static final int OFLAG_EXCL = 4;
  static final int OFLAG_TRUNC = 8;
  static final int FDFLAG_APPEND = 1;
  static final int FDFLAG_DSYNC = 2;
  static final int FDFLAG_SYNC = 16;
  static final int FDFLAGS_ALL = 31;
  static final int WHENCE_SET = 0;
  static final int WHENCE_CUR = 1;
  static final int WHENCE_END = 2;
  static final byte FILETYPE_CHARACTER_DEVICE = 2;
  static final byte FILETYPE_DIRECTORY = 3;
  static final byte FILETYPE_REGULAR_FILE = 4;
  static final int FDSTAT_SIZE = 24;
  static final int FILESTAT_SIZE = 64;
  static final int PRESTAT_SIZE = 8;
  static final int DIRENT_SIZE = 24;
  /** The preopen's fd, the first after stdio (where libc looks first). */
  static final int PREOPEN_FD = 3;
  /** Descriptors a guest may hold open at once, stdio included. */
  static final int MAX_DESCRIPTORS = 1024;
  /** The longest path {@code path_open} and {@code path_filestat_get} accept, in bytes. */
  static final int MAX_PATH = 4096;
  static final long CLOCK_RESOLUTION_NANOS = 1000;
  static final int CLOCK_REALTIME = 0;
  static final int CLOCK_MONOTONIC = 1;
  static final int CLOCK_PROCESS_CPUTIME = 2;
  static final int CLOCK_THREAD_CPUTIME = 3;
  /** Host-side copies between guest memory and streams go this many bytes at a time. */
  private static final int CHUNK = 64 * 1024;
  private static final int IOVEC_SIZE = 8;
  private static final long U32_LIMIT = 1L << 32;
  private static final byte[] PREOPEN_NAME = WasiCall.SECRETS_PATH.getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, Handler> HANDLERS = handlers();

  /** What an fd refers to: a stdio stream, the secrets directory, or one of its files. */
  private sealed interface Descriptor permits Stdio, Directory, OpenFile {}

  /** The three stdio streams a descriptor may refer to. */
  private enum Stdio implements Descriptor { IN, OUT, ERR }

  /** The secrets directory; {@code preopen} only for the one the call starts with. */
  private static final class Directory implements Descriptor {
    final boolean preopen;
    long rights;
    long inheriting;

    Directory(boolean preopen, long rights, long inheriting) {
      this.preopen = preopen;
      this.rights = rights;
      this.inheriting = inheriting;
    }
  }

  /** One secret file opened for reading, with its own position. */
  private static final class OpenFile implements Descriptor {
    final byte[] content;
    final long inode;
    long rights;
    long position;

    OpenFile(byte[] content, long inode, long rights) {
      this.content = content;
      this.inode = inode;
      this.rights = rights;
    }
  }

  @FunctionalInterface
  private interface Handler {
    int call(WasiHost host, GuestMemory memory, long[] args);
  }

  /** A pointer range that cannot be in guest memory; answered with EFAULT. */
  private static final class Fault extends RuntimeException {
    Fault() {
      super("bad address", null, false, false);
    }
  }

  /** Open descriptors by fd; {@code null} for a free fd. */
  private final List<Descriptor> descriptors = new ArrayList<>();
  private WasiCall call;
  private boolean bound;
  private byte[] stdin;
  private int stdinPosition;
  private long boundAtNanos;
  private Strings argv;
  private Strings environ;
  /** The call's secret files by name, and their names in order (an inode is 2 + the index). */
  private SortedMap<String, byte[]> files;
  private List<String> fileNames;

  public WasiHost() {
    reset(WasiCall.none());
  }

  /**
   * Grants this call's argv, environment, streams, clock and secret files to the guest, from now
   * until {@link #unbind()}; every call starts with stdin unread, fds 0 to 2 open (and fd 3, the
   * secrets directory, when the call has secret files), no other fd, and the monotonic clock at 0.
   *
   * @throws IllegalStateException if a call is already bound (unbind it first)
   */
  public void bind(WasiCall call) {
    if (bound) {
      throw new IllegalStateException("a call is already bound to this WASI host");
    }
    reset(call);
    bound = true;
  }

  /** Withdraws the bound call (and drops every reference to its streams, bytes and files). */
  public void unbind() {
    reset(WasiCall.none());
    bound = false;
  }

  public boolean isBound() {
    return bound;
  }

  private void reset(WasiCall next) {
    call = next;
    stdin = next.stdin();
    stdinPosition = 0;
    descriptors.clear();
    descriptors.add(Stdio.IN);
    descriptors.add(Stdio.OUT);
    descriptors.add(Stdio.ERR);
    files = next.secrets();
    fileNames = List.copyOf(files.keySet());
    if (!files.isEmpty()) {
      descriptors.add(new Directory(true, DIRECTORY_RIGHTS, DIRECTORY_INHERITING));
    }
    argv = null;
    environ = null;
    boundAtNanos = System.nanoTime();
  }

  /**
   * Runs one wasi_snapshot_preview1 function for the guest.
   *
   * @param function its name, one of {@link WasiFunctions#ALL}
   * @param memory the calling instance's memory
   * @param args the wasm arguments as the signature in {@link WasiFunctions} types them
   *     ({@code i32} in the low 32 bits)
   * @return {@code {errno}}
   * @throws WasiExit from {@code proc_exit}, which never returns
   * @throws IllegalArgumentException for a name that is not a preview1 function
   */
  public long[] invoke(String function, GuestMemory memory, long[] args) {
    Handler handler = HANDLERS.get(function);
    if (handler == null) {
      throw new IllegalArgumentException(WasiFunctions.MODULE + " has no function " + function);
    }
    int errno;
    try {
      errno = handler.call(this, memory, args);
    } catch (TrapException | Fault e) {
      errno = EFAULT;
    }
    return new long[] {errno};
  }

  // --- dispatch table --------------------------------------------------------------------------

  private static Map<String, Handler> handlers() {
    Map<String, Handler> h = new HashMap<>();
    h.put("args_get", (w, m, a) -> w.stringsGet(m, w.argv(), i32(a, 0), i32(a, 1)));
    h.put("args_sizes_get", (w, m, a) -> sizesGet(m, w.argv(), i32(a, 0), i32(a, 1)));
    h.put("environ_get", (w, m, a) -> w.stringsGet(m, w.environ(), i32(a, 0), i32(a, 1)));
    h.put("environ_sizes_get", (w, m, a) -> sizesGet(m, w.environ(), i32(a, 0), i32(a, 1)));
    h.put("clock_res_get", (w, m, a) -> clockResGet(m, i32(a, 0), i32(a, 1)));
    h.put("clock_time_get", (w, m, a) -> w.clockTimeGet(m, i32(a, 0), i32(a, 2)));
    h.put("fd_advise", (w, m, a) -> w.fdAdvise(i32(a, 0), i32(a, 3)));
    h.put("fd_allocate", (w, m, a) -> w.byKind(i32(a, 0), ESPIPE, EISDIR, ENOTCAPABLE));
    h.put("fd_close", (w, m, a) -> w.fdClose(i32(a, 0)));
    h.put("fd_datasync", (w, m, a) -> w.fdSync(i32(a, 0)));
    h.put("fd_fdstat_get", (w, m, a) -> w.fdFdstatGet(m, i32(a, 0), i32(a, 1)));
    h.put("fd_fdstat_set_flags", (w, m, a) -> w.ifOpen(i32(a, 0), i32(a, 1) == 0 ? SUCCESS : ENOSYS));
    h.put("fd_fdstat_set_rights", (w, m, a) -> w.fdFdstatSetRights(i32(a, 0), a[1], a[2]));
    h.put("fd_filestat_get", (w, m, a) -> w.fdFilestatGet(m, i32(a, 0), i32(a, 1)));
    h.put("fd_filestat_set_size", (w, m, a) -> w.byKind(i32(a, 0), EINVAL, EISDIR, ENOTCAPABLE));
    h.put("fd_filestat_set_times", (w, m, a) -> w.byKind(i32(a, 0), ENOSYS, ENOTCAPABLE, ENOTCAPABLE));
    h.put("fd_pread", (w, m, a) -> w.fdPread(m, i32(a, 0), i32(a, 1), i32(a, 2), a[3], i32(a, 4)));
    h.put("fd_prestat_get", (w, m, a) -> w.fdPrestatGet(m, i32(a, 0), i32(a, 1)));
    h.put("fd_prestat_dir_name", (w, m, a) -> w.fdPrestatDirName(m, i32(a, 0), i32(a, 1), i32(a, 2)));
    h.put("fd_pwrite", (w, m, a) -> w.byKind(i32(a, 0), ESPIPE, EBADF, EBADF));
    h.put("fd_read", (w, m, a) -> w.fdRead(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3)));
    h.put("fd_readdir", (w, m, a) -> w.fdReaddir(m, i32(a, 0), i32(a, 1), i32(a, 2), a[3], i32(a, 4)));
    h.put("fd_renumber", (w, m, a) -> w.fdRenumber(i32(a, 0), i32(a, 1)));
    h.put("fd_seek", (w, m, a) -> w.fdSeek(m, i32(a, 0), a[1], i32(a, 2), i32(a, 3)));
    h.put("fd_sync", (w, m, a) -> w.fdSync(i32(a, 0)));
    h.put("fd_tell", (w, m, a) -> w.fdTell(m, i32(a, 0), i32(a, 1)));
    h.put("fd_write", (w, m, a) -> w.fdWrite(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3)));
    h.put("path_filestat_get", (w, m, a) -> w.pathFilestatGet(m, i32(a, 0), i32(a, 2), i32(a, 3), i32(a, 4)));
    h.put("path_open", (w, m, a) -> w.pathOpen(m, i32(a, 0), i32(a, 2), i32(a, 3), i32(a, 4), a[5], a[6],
        i32(a, 7), i32(a, 8)));
    for (String path : List.of("path_create_directory", "path_filestat_set_times", "path_link",
        "path_readlink", "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file",
        "sock_accept", "sock_recv", "sock_send", "sock_shutdown")) {
      h.put(path, (w, m, a) -> ENOTCAPABLE);
    }
    h.put("poll_oneoff", (w, m, a) -> ENOSYS);
    h.put("proc_exit", (w, m, a) -> {
      throw new WasiExit(i32(a, 0));
    });
    h.put("proc_raise", (w, m, a) -> ENOSYS);
    h.put("sched_yield", (w, m, a) -> SUCCESS);
    h.put("random_get", (w, m, a) -> randomGet(m, i32(a, 0), i32(a, 1)));
    if (!h.keySet().equals(WasiFunctions.ALL.keySet())) {
      throw new AssertionError("WASI dispatch table and WasiFunctions disagree");
    }
    return Map.copyOf(h);
  }

  private static int i32(long[] args, int index) {
    return (int) args[index];
  }

  // --- args and environment --------------------------------------------------------------------

  /** NUL-terminated strings packed one after the other, as {@code *_get} writes them. */
  private record Strings(int count, byte[] buffer, int[] offsets) {
    static Strings of(List<String> values) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      int[] offsets = new int[values.size()];
      for (int i = 0; i < offsets.length; i++) {
        offsets[i] = buffer.size();
        buffer.writeBytes(values.get(i).getBytes(StandardCharsets.UTF_8));
        buffer.write(0);
      }
      return new Strings(offsets.length, buffer.toByteArray(), offsets);
    }
  }

  private Strings argv() {
    if (argv == null) {
      argv = Strings.of(call.args());
    }
    return argv;
  }

  private Strings environ() {
    if (environ == null) {
      environ = Strings.of(new TreeMap<>(call.env()).entrySet().stream()
          .map(entry -> entry.getKey() + "=" + entry.getValue())
          .toList());
    }
    return environ;
  }

  private static int sizesGet(GuestMemory memory, Strings strings, int countPointer, int sizePointer) {
    memory.writeInt(countPointer, strings.count());
    memory.writeInt(sizePointer, strings.buffer().length);
    return SUCCESS;
  }

  private int stringsGet(GuestMemory memory, Strings strings, int pointers, int buffer) {
    if (strings.count() == 0) {
      return SUCCESS;
    }
    checkRange(pointers, (long) strings.count() * Integer.BYTES);
    checkRange(buffer, strings.buffer().length);
    ByteBuffer table = ByteBuffer.allocate(strings.count() * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int offset : strings.offsets()) {
      table.putInt(buffer + offset);
    }
    memory.write(pointers, table.array());
    memory.write(buffer, strings.buffer());
    return SUCCESS;
  }

  // --- clocks and randomness -------------------------------------------------------------------

  private static int clockResGet(GuestMemory memory, int clock, int resultPointer) {
    if (clock < CLOCK_REALTIME || clock > CLOCK_THREAD_CPUTIME) {
      return EINVAL;
    }
    memory.writeLong(resultPointer, CLOCK_RESOLUTION_NANOS);
    return SUCCESS;
  }

  private int clockTimeGet(GuestMemory memory, int clock, int resultPointer) {
    long nanos;
    switch (clock) {
      case CLOCK_REALTIME -> {
        if (call.clockGranted()) {
          Instant now = Instant.now();
          nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        } else {
          nanos = 0;
        }
      }
      case CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME, CLOCK_THREAD_CPUTIME -> nanos = System.nanoTime() - boundAtNanos;
      default -> {
        return EINVAL;
      }
    }
    memory.writeLong(resultPointer, nanos);
    return SUCCESS;
  }

  private static int randomGet(GuestMemory memory, int buffer, int length) {
    long total = Integer.toUnsignedLong(length);
    checkRange(buffer, total);
    for (long done = 0; done < total; done += CHUNK) {
      byte[] bytes = new byte[(int) Math.min(CHUNK, total - done)];
      RANDOM.nextBytes(bytes);
      memory.write(buffer + (int) done, bytes);
    }
    return SUCCESS;
  }

  // --- descriptors -----------------------------------------------------------------------------

  private Descriptor open(int fd) {
    return fd >= 0 && fd < descriptors.size() ? descriptors.get(fd) : null;
  }

  /** EBADF for a descriptor that is not open, else {@code errno}. */
  private int ifOpen(int fd, int errno) {
    return open(fd) == null ? EBADF : errno;
  }

  /** EBADF for a descriptor that is not open, else the errno for its kind. */
  private int byKind(int fd, int stdio, int directory, int file) {
    return switch (open(fd)) {
      case null -> EBADF;
      case Stdio s -> stdio;
      case Directory d -> directory;
      case OpenFile f -> file;
    };
  }

  private int fdClose(int fd) {
    if (open(fd) == null) {
      return EBADF;
    }
    descriptors.set(fd, null);
    while (!descriptors.isEmpty() && descriptors.getLast() == null) {
      descriptors.removeLast();
    }
    return SUCCESS;
  }

  private int fdRenumber(int from, int to) {
    if (open(from) == null || open(to) == null) {
      return EBADF;
    }
    if (from != to) {
      descriptors.set(to, descriptors.get(from));
      fdClose(from);
    }
    return SUCCESS;
  }

  /** The lowest free fd, or -1 if {@link #MAX_DESCRIPTORS} are open. */
  private int freeFd() {
    int fd = descriptors.indexOf(null);
    if (fd >= 0) {
      return fd;
    }
    return descriptors.size() < MAX_DESCRIPTORS ? descriptors.size() : -1;
  }

  private void install(int fd, Descriptor descriptor) {
    if (fd == descriptors.size()) {
      descriptors.add(descriptor);
    } else {
      descriptors.set(fd, descriptor);
    }
  }

  private int fdSync(int fd) {
    Descriptor descriptor = open(fd);
    if (descriptor == null) {
      return EBADF;
    }
    if (!(descriptor instanceof Stdio stream) || stream == Stdio.IN) {
      return SUCCESS;
    }
    try {
      output(stream).flush();
      return SUCCESS;
    } catch (IOException e) {
      return EIO;
    }
  }

  private int fdAdvise(int fd, int advice) {
    return switch (open(fd)) {
      case null -> EBADF;
      case Stdio s -> ESPIPE;
      case Directory d -> EISDIR;
      case OpenFile f -> advice < 0 || advice > 5 ? EINVAL : SUCCESS;  // normal .. noreuse
    };
  }

  private int fdFdstatGet(GuestMemory memory, int fd, int pointer) {
    ByteBuffer fdstat = ByteBuffer.allocate(FDSTAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    switch (open(fd)) {
      case null -> {
        return EBADF;
      }
      case Stdio s -> fdstat.put(0, FILETYPE_CHARACTER_DEVICE).putLong(8, ALL_RIGHTS).putLong(16, ALL_RIGHTS);
      case Directory d -> fdstat.put(0, FILETYPE_DIRECTORY).putLong(8, d.rights).putLong(16, d.inheriting);
      case OpenFile f -> fdstat.put(0, FILETYPE_REGULAR_FILE).putLong(8, f.rights).putLong(16, 0);
    }
    fdstat.putShort(2, (short) 0);  // fdflags: none (not append, not non-blocking)
    memory.write(pointer, fdstat.array());
    return SUCCESS;
  }

  private int fdFdstatSetRights(int fd, long rights, long inheriting) {
    switch (open(fd)) {
      case null -> {
        return EBADF;
      }
      case Stdio s -> {
        return rights == ALL_RIGHTS && inheriting == ALL_RIGHTS ? SUCCESS : ENOSYS;
      }
      case Directory d -> {
        if ((rights & ~d.rights) != 0 || (inheriting & ~d.inheriting) != 0) {
          return ENOTCAPABLE;
        }
        d.rights = rights;
        d.inheriting = inheriting;
        return SUCCESS;
      }
      case OpenFile f -> {
        if ((rights & ~f.rights) != 0 || inheriting != 0) {
          return ENOTCAPABLE;
        }
        f.rights = rights;
        return SUCCESS;
      }
    }
  }

  private int fdFilestatGet(GuestMemory memory, int fd, int pointer) {
    byte[] filestat;
    switch (open(fd)) {
      case null -> {
        return EBADF;
      }
      case Stdio s -> {
        // dev, ino, nlink, size and the three timestamps are all 0; only the file type is known.
        filestat = new byte[FILESTAT_SIZE];
        filestat[16] = FILETYPE_CHARACTER_DEVICE;
      }
      case Directory d -> {
        if ((d.rights & RIGHT_FD_FILESTAT_GET) == 0) {
          return ENOTCAPABLE;
        }
        filestat = directoryFilestat();
      }
      case OpenFile f -> {
        if ((f.rights & RIGHT_FD_FILESTAT_GET) == 0) {
          return ENOTCAPABLE;
        }
        filestat = fileFilestat(f.inode, f.content.length);
      }
    }
    memory.write(pointer, filestat);
    return SUCCESS;
  }

  private OutputStream output(Stdio stream) {
    return stream == Stdio.ERR ? call.stderr() : call.stdout();
  }

  /** The iovec array {@code {u32 buf, u32 len}[count]} at {@code pointer}. */
  private static ByteBuffer iovecs(GuestMemory memory, int pointer, int count) {
    long bytes = Integer.toUnsignedLong(count) * IOVEC_SIZE;
    checkRange(pointer, bytes);
    if (bytes > Integer.MAX_VALUE) {
      throw new Fault();
    }
    return ByteBuffer.wrap(memory.read(pointer, (int) bytes)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private int fdWrite(GuestMemory memory, int fd, int iovsPointer, int iovsCount, int writtenPointer) {
    if (!(open(fd) instanceof Stdio stream) || stream == Stdio.IN) {
      return EBADF;  // not open, stdin, or a (read-only) file or directory
    }
    ByteBuffer iovs = iovecs(memory, iovsPointer, iovsCount);
    long total = 0;
    for (int at = 0; at < iovs.limit(); at += IOVEC_SIZE) {
      long length = Integer.toUnsignedLong(iovs.getInt(at + 4));
      checkRange(iovs.getInt(at), length);
      total += length;
    }
    if (total >= U32_LIMIT) {
      return EINVAL;  // the count would not fit the u32 nwritten
    }
    OutputStream out = output(stream);
    try {
      for (int at = 0; at < iovs.limit(); at += IOVEC_SIZE) {
        int buffer = iovs.getInt(at);
        long length = Integer.toUnsignedLong(iovs.getInt(at + 4));
        for (long done = 0; done < length; done += CHUNK) {
          out.write(memory.read(buffer + (int) done, (int) Math.min(CHUNK, length - done)));
        }
      }
    } catch (IOException e) {
      return EIO;
    }
    memory.writeInt(writtenPointer, (int) total);
    return SUCCESS;
  }

  private int fdRead(GuestMemory memory, int fd, int iovsPointer, int iovsCount, int readPointer) {
    switch (open(fd)) {
      case Stdio s when s == Stdio.IN -> {
        int read = scatter(memory, iovecs(memory, iovsPointer, iovsCount), stdin, stdinPosition);
        stdinPosition += read;
        memory.writeInt(readPointer, read);
        return SUCCESS;
      }
      case Directory d -> {
        return EISDIR;
      }
      case OpenFile f -> {
        if ((f.rights & RIGHT_FD_READ) == 0) {
          return ENOTCAPABLE;
        }
        int read = scatter(memory, iovecs(memory, iovsPointer, iovsCount), f.content, f.position);
        f.position += read;
        memory.writeInt(readPointer, read);
        return SUCCESS;
      }
      case null, default -> {
        return EBADF;  // not open, stdout or stderr
      }
    }
  }

  /** What a seek or positioned read answers on a descriptor that is not an open file. */
  private static int notAFile(Descriptor descriptor) {
    return switch (descriptor) {
      case null -> EBADF;
      case Directory d -> EISDIR;
      default -> ESPIPE;  // stdin, stdout, stderr
    };
  }

  private int fdPread(GuestMemory memory, int fd, int iovsPointer, int iovsCount, long offset, int readPointer) {
    if (!(open(fd) instanceof OpenFile f)) {
      return notAFile(open(fd));
    }
    if ((f.rights & RIGHT_FD_READ) == 0) {
      return ENOTCAPABLE;
    }
    if (offset < 0) {
      return EINVAL;  // a u64 offset beyond 2^63
    }
    int read = scatter(memory, iovecs(memory, iovsPointer, iovsCount), f.content, offset);
    memory.writeInt(readPointer, read);
    return SUCCESS;
  }

  /**
   * Copies {@code data} from {@code position} into the iovecs' buffers, in order, until they are
   * full or the data ends; returns the number of bytes copied. A buffer is checked only if some
   * data is left for it.
   */
  private static int scatter(GuestMemory memory, ByteBuffer iovs, byte[] data, long position) {
    int read = 0;
    for (int at = 0; at < iovs.limit() && position + read < data.length; at += IOVEC_SIZE) {
      int buffer = iovs.getInt(at);
      long length = Integer.toUnsignedLong(iovs.getInt(at + 4));
      checkRange(buffer, length);
      int from = (int) (position + read);
      int count = (int) Math.min(length, data.length - from);
      if (count > 0) {
        memory.write(buffer, Arrays.copyOfRange(data, from, from + count));
        read += count;
      }
    }
    return read;
  }

  private int fdSeek(GuestMemory memory, int fd, long offset, int whence, int resultPointer) {
    if (!(open(fd) instanceof OpenFile f)) {
      return notAFile(open(fd));
    }
    boolean tellOnly = offset == 0 && whence == WHENCE_CUR;
    if ((f.rights & (tellOnly ? RIGHT_FD_SEEK | RIGHT_FD_TELL : RIGHT_FD_SEEK)) == 0) {
      return ENOTCAPABLE;
    }
    long base;
    switch (whence) {
      case WHENCE_SET -> base = 0;
      case WHENCE_CUR -> base = f.position;
      case WHENCE_END -> base = f.content.length;
      default -> {
        return EINVAL;
      }
    }
    long target;
    try {
      target = Math.addExact(base, offset);
    } catch (ArithmeticException e) {
      return EINVAL;
    }
    if (target < 0) {
      return EINVAL;
    }
    memory.writeLong(resultPointer, target);
    f.position = target;
    return SUCCESS;
  }

  private int fdTell(GuestMemory memory, int fd, int resultPointer) {
    if (!(open(fd) instanceof OpenFile f)) {
      return notAFile(open(fd));
    }
    if ((f.rights & RIGHT_FD_TELL) == 0) {
      return ENOTCAPABLE;
    }
    memory.writeLong(resultPointer, f.position);
    return SUCCESS;
  }

  // --- the secrets directory -------------------------------------------------------------------

  private int fdPrestatGet(GuestMemory memory, int fd, int pointer) {
    if (!(open(fd) instanceof Directory d) || !d.preopen) {
      return EBADF;
    }
    ByteBuffer prestat = ByteBuffer.allocate(PRESTAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    prestat.put(0, (byte) 0);  // preopentype: dir
    prestat.putInt(4, PREOPEN_NAME.length);
    memory.write(pointer, prestat.array());
    return SUCCESS;
  }

  private int fdPrestatDirName(GuestMemory memory, int fd, int pointer, int length) {
    if (!(open(fd) instanceof Directory d) || !d.preopen) {
      return EBADF;
    }
    if (Integer.toUnsignedLong(length) < PREOPEN_NAME.length) {
      return ENAMETOOLONG;
    }
    memory.write(pointer, PREOPEN_NAME);
    return SUCCESS;
  }

  private static byte[] directoryFilestat() {
    return filestat(1, FILETYPE_DIRECTORY, 2, 0);
  }

  private static byte[] fileFilestat(long inode, long size) {
    return filestat(inode, FILETYPE_REGULAR_FILE, 1, size);
  }

  /** dev 0, the inode, type, link count and size; the three timestamps 0. */
  private static byte[] filestat(long inode, byte filetype, long links, long size) {
    ByteBuffer filestat = ByteBuffer.allocate(FILESTAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    filestat.putLong(8, inode);
    filestat.put(16, filetype);
    filestat.putLong(24, links);
    filestat.putLong(32, size);
    return filestat.array();
  }

  /** What a path names in the directory: the directory itself, a file (its name), or an errno. */
  private record Resolved(int errno, String file) {
    static final Resolved DIRECTORY = new Resolved(SUCCESS, null);

    boolean isDirectory() {
      return errno == SUCCESS && file == null;
    }
  }

  /**
   * Resolves a relative path in the (flat) secrets directory: {@code "."} components and empty
   * ones (repeated or trailing slashes) are skipped; {@code ".."} and absolute paths are not
   * capable, a component under a file is ENOTDIR, an unknown name ENOENT.
   */
  private Resolved resolve(byte[] path) {
    if (path.length == 0) {
      return new Resolved(ENOENT, null);
    }
    // ISO-8859-1 maps each byte to one char: a non-ASCII byte can never match a file name.
    String text = new String(path, StandardCharsets.ISO_8859_1);
    if (text.startsWith("/")) {
      return new Resolved(ENOTCAPABLE, null);
    }
    List<String> components = new ArrayList<>();
    for (String component : text.split("/", -1)) {
      if (component.equals("..")) {
        return new Resolved(ENOTCAPABLE, null);
      }
      if (!component.isEmpty() && !component.equals(".")) {
        components.add(component);
      }
    }
    if (components.isEmpty()) {
      return Resolved.DIRECTORY;
    }
    String first = components.getFirst();
    if (!files.containsKey(first)) {
      return new Resolved(ENOENT, null);
    }
    boolean trailingSlash = text.endsWith("/") || text.endsWith("/.");
    if (components.size() > 1 || trailingSlash) {
      return new Resolved(ENOTDIR, null);
    }
    return new Resolved(SUCCESS, first);
  }

  /** The path's bytes, or null when it is longer than {@link #MAX_PATH}. */
  private static byte[] readPath(GuestMemory memory, int pointer, int length) {
    long bytes = Integer.toUnsignedLong(length);
    checkRange(pointer, bytes);
    return bytes > MAX_PATH ? null : memory.read(pointer, (int) bytes);
  }

  /**
   * Why a path call on a descriptor that is not a directory with the right is refused: a file is
   * no directory; stdio, no such fd, or a directory without the right has no path capability.
   */
  private static int pathRefusal(Descriptor descriptor) {
    return descriptor instanceof OpenFile ? ENOTDIR : ENOTCAPABLE;
  }

  private long inode(String file) {
    return 2 + fileNames.indexOf(file);
  }

  private int pathOpen(GuestMemory memory, int fd, int pathPointer, int pathLength, int oflags, long rights,
      long inheriting, int fdflags, int resultPointer) {
    Descriptor descriptor = open(fd);
    if (!(descriptor instanceof Directory directory) || (directory.rights & RIGHT_PATH_OPEN) == 0) {
      return pathRefusal(descriptor);
    }
    byte[] path = readPath(memory, pathPointer, pathLength);
    if (path == null) {
      return ENAMETOOLONG;
    }
    if ((oflags & ~(OFLAG_CREAT | OFLAG_DIRECTORY | OFLAG_EXCL | OFLAG_TRUNC)) != 0
        || (fdflags & ~FDFLAGS_ALL) != 0) {
      return EINVAL;
    }
    if ((oflags & (OFLAG_CREAT | OFLAG_EXCL | OFLAG_TRUNC)) != 0) {
      return ENOTCAPABLE;  // nothing is ever created or changed
    }
    Resolved target = resolve(path);
    if (target.errno() != SUCCESS) {
      return target.errno();
    }
    boolean writing = (rights & WRITE_RIGHTS) != 0 || (fdflags & (FDFLAG_APPEND | FDFLAG_DSYNC | FDFLAG_SYNC)) != 0;
    Descriptor opened;
    if (target.isDirectory()) {
      if (writing) {
        return EISDIR;
      }
      opened = new Directory(false, rights & directory.inheriting & DIRECTORY_RIGHTS,
          inheriting & directory.inheriting);
    } else {
      if ((oflags & OFLAG_DIRECTORY) != 0) {
        return ENOTDIR;
      }
      if (writing) {
        return ENOTCAPABLE;
      }
      opened = new OpenFile(files.get(target.file()), inode(target.file()),
          rights & directory.inheriting & FILE_RIGHTS);
    }
    int newFd = freeFd();
    if (newFd < 0) {
      return EMFILE;
    }
    memory.writeInt(resultPointer, newFd);
    install(newFd, opened);
    return SUCCESS;
  }

  private int pathFilestatGet(GuestMemory memory, int fd, int pathPointer, int pathLength, int resultPointer) {
    Descriptor descriptor = open(fd);
    if (!(descriptor instanceof Directory directory) || (directory.rights & RIGHT_PATH_FILESTAT_GET) == 0) {
      return pathRefusal(descriptor);
    }
    byte[] path = readPath(memory, pathPointer, pathLength);
    if (path == null) {
      return ENAMETOOLONG;
    }
    Resolved target = resolve(path);
    if (target.errno() != SUCCESS) {
      return target.errno();
    }
    memory.write(resultPointer, target.isDirectory()
        ? directoryFilestat()
        : fileFilestat(inode(target.file()), files.get(target.file()).length));
    return SUCCESS;
  }

  /**
   * Entries from {@code cookie} on ({@code "."}, {@code ".."}, then the files), as many as fit in
   * {@code length} bytes, the last one cut off if it does not fit whole.
   */
  private int fdReaddir(GuestMemory memory, int fd, int buffer, int length, long cookie, int usedPointer) {
    switch (open(fd)) {
      case null -> {
        return EBADF;
      }
      case Directory d -> {
        if ((d.rights & RIGHT_FD_READDIR) == 0) {
          return ENOTCAPABLE;
        }
      }
      default -> {
        return ENOTDIR;
      }
    }
    long capacity = Integer.toUnsignedLong(length);
    checkRange(buffer, capacity);
    int count = 2 + fileNames.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long index = Math.max(cookie, 0); cookie >= 0 && index < count && out.size() < capacity; index++) {
      String name = index == 0 ? "." : index == 1 ? ".." : fileNames.get((int) index - 2);
      byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
      ByteBuffer dirent = ByteBuffer.allocate(DIRENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      dirent.putLong(0, index + 1);  // d_next: the cookie of the next entry
      dirent.putLong(8, index < 2 ? 1 : index);  // d_ino: the directory is 1, files 2 and up
      dirent.putInt(16, bytes.length);
      dirent.put(20, index < 2 ? FILETYPE_DIRECTORY : FILETYPE_REGULAR_FILE);
      out.writeBytes(dirent.array());
      out.writeBytes(bytes);
    }
    byte[] entries = out.toByteArray();
    int used = (int) Math.min(capacity, entries.length);
    memory.write(buffer, used == entries.length ? entries : Arrays.copyOf(entries, used));
    memory.writeInt(usedPointer, used);
    return SUCCESS;
  }

  /** A range that runs past 4 GiB cannot be in a wasm32 memory (and would wrap around in an int). */
  private static void checkRange(int address, long length) {
    if (Integer.toUnsignedLong(address) + length > U32_LIMIT) {
      throw new Fault();
    }
  }
}
