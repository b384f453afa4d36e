package dev.wasmengine.runtime.wasi;

import static dev.wasmengine.runtime.wasi.WasiErrno.EBADF;
import static dev.wasmengine.runtime.wasi.WasiErrno.EFAULT;
import static dev.wasmengine.runtime.wasi.WasiErrno.EINVAL;
import static dev.wasmengine.runtime.wasi.WasiErrno.EIO;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *       one succeeds and later use gives {@code EBADF}. Every other fd is {@code EBADF}.
 *   <li>No preopened directories ({@code fd_prestat_get} is {@code EBADF} for every fd, so libc's
 *       {@code fopen} and {@code opendir} fail with {@code ENOTCAPABLE} by themselves); every
 *       {@code path_*} and {@code sock_*} function answers {@code ENOTCAPABLE}.
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
 * they change nothing, else {@code ENOSYS}; {@code fd_renumber} moves one stdio stream onto
 * another open fd.
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
  static final byte FILETYPE_CHARACTER_DEVICE = 2;
  static final int FDSTAT_SIZE = 24;
  static final int FILESTAT_SIZE = 64;
  static final long CLOCK_RESOLUTION_NANOS = 1000;
  static final int CLOCK_REALTIME = 0;
  static final int CLOCK_MONOTONIC = 1;
  static final int CLOCK_PROCESS_CPUTIME = 2;
  static final int CLOCK_THREAD_CPUTIME = 3;
  /** Host-side copies between guest memory and streams go this many bytes at a time. */
  private static final int CHUNK = 64 * 1024;
  private static final int IOVEC_SIZE = 8;
  private static final long U32_LIMIT = 1L << 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, Handler> HANDLERS = handlers();

  /** The three stdio streams a descriptor may refer to. */
  private enum Stdio { IN, OUT, ERR }

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

  private final Stdio[] descriptors = new Stdio[3];
  private WasiCall call;
  private boolean bound;
  private byte[] stdin;
  private int stdinPosition;
  private long boundAtNanos;
  private Strings argv;
  private Strings environ;

  public WasiHost() {
    reset(WasiCall.none());
  }

  /**
   * Grants this call's argv, environment, streams and clock to the guest, from now until
   * {@link #unbind()}; every call starts with stdin unread, fds 0 to 2 open and the monotonic
   * clock at 0.
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

  /** Withdraws the bound call (and drops every reference to its streams and bytes). */
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
    descriptors[0] = Stdio.IN;
    descriptors[1] = Stdio.OUT;
    descriptors[2] = Stdio.ERR;
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
    h.put("fd_advise", (w, m, a) -> w.ifOpen(i32(a, 0), ESPIPE));
    h.put("fd_allocate", (w, m, a) -> w.ifOpen(i32(a, 0), ESPIPE));
    h.put("fd_close", (w, m, a) -> w.fdClose(i32(a, 0)));
    h.put("fd_datasync", (w, m, a) -> w.fdSync(i32(a, 0)));
    h.put("fd_fdstat_get", (w, m, a) -> w.fdFdstatGet(m, i32(a, 0), i32(a, 1)));
    h.put("fd_fdstat_set_flags", (w, m, a) -> w.ifOpen(i32(a, 0), i32(a, 1) == 0 ? SUCCESS : ENOSYS));
    h.put("fd_fdstat_set_rights",
        (w, m, a) -> w.ifOpen(i32(a, 0), a[1] == ALL_RIGHTS && a[2] == ALL_RIGHTS ? SUCCESS : ENOSYS));
    h.put("fd_filestat_get", (w, m, a) -> w.fdFilestatGet(m, i32(a, 0), i32(a, 1)));
    h.put("fd_filestat_set_size", (w, m, a) -> w.ifOpen(i32(a, 0), EINVAL));
    h.put("fd_filestat_set_times", (w, m, a) -> w.ifOpen(i32(a, 0), ENOSYS));
    h.put("fd_pread", (w, m, a) -> w.ifOpen(i32(a, 0), ESPIPE));
    h.put("fd_prestat_get", (w, m, a) -> EBADF);
    h.put("fd_prestat_dir_name", (w, m, a) -> EBADF);
    h.put("fd_pwrite", (w, m, a) -> w.ifOpen(i32(a, 0), ESPIPE));
    h.put("fd_read", (w, m, a) -> w.fdRead(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3)));
    h.put("fd_readdir", (w, m, a) -> w.ifOpen(i32(a, 0), ENOTDIR));
    h.put("fd_renumber", (w, m, a) -> w.fdRenumber(i32(a, 0), i32(a, 1)));
    h.put("fd_seek", (w, m, a) -> w.ifOpen(i32(a, 0), ESPIPE));
    h.put("fd_sync", (w, m, a) -> w.fdSync(i32(a, 0)));
    h.put("fd_tell", (w, m, a) -> w.ifOpen(i32(a, 0), ESPIPE));
    h.put("fd_write", (w, m, a) -> w.fdWrite(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3)));
    for (String path : List.of("path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link",
        "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file",
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

  private Stdio open(int fd) {
    return fd >= 0 && fd < descriptors.length ? descriptors[fd] : null;
  }

  /** EBADF for a descriptor that is not open, else {@code errno}. */
  private int ifOpen(int fd, int errno) {
    return open(fd) == null ? EBADF : errno;
  }

  private int fdClose(int fd) {
    if (open(fd) == null) {
      return EBADF;
    }
    descriptors[fd] = null;
    return SUCCESS;
  }

  private int fdRenumber(int from, int to) {
    if (open(from) == null || open(to) == null) {
      return EBADF;
    }
    if (from != to) {
      descriptors[to] = descriptors[from];
      descriptors[from] = null;
    }
    return SUCCESS;
  }

  private int fdSync(int fd) {
    Stdio stream = open(fd);
    if (stream == null) {
      return EBADF;
    }
    if (stream == Stdio.IN) {
      return SUCCESS;
    }
    try {
      output(stream).flush();
      return SUCCESS;
    } catch (IOException e) {
      return EIO;
    }
  }

  private int fdFdstatGet(GuestMemory memory, int fd, int pointer) {
    if (open(fd) == null) {
      return EBADF;
    }
    ByteBuffer fdstat = ByteBuffer.allocate(FDSTAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    fdstat.put(0, FILETYPE_CHARACTER_DEVICE);
    fdstat.putShort(2, (short) 0);  // fdflags: none (not append, not non-blocking)
    fdstat.putLong(8, ALL_RIGHTS);
    fdstat.putLong(16, ALL_RIGHTS);
    memory.write(pointer, fdstat.array());
    return SUCCESS;
  }

  private int fdFilestatGet(GuestMemory memory, int fd, int pointer) {
    if (open(fd) == null) {
      return EBADF;
    }
    // dev, ino, nlink, size and the three timestamps are all 0; only the file type is known.
    byte[] filestat = new byte[FILESTAT_SIZE];
    filestat[16] = FILETYPE_CHARACTER_DEVICE;
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
    Stdio stream = open(fd);
    if (stream == null || stream == Stdio.IN) {
      return EBADF;
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
    Stdio stream = open(fd);
    if (stream != Stdio.IN) {
      return EBADF;
    }
    ByteBuffer iovs = iovecs(memory, iovsPointer, iovsCount);
    int read = 0;
    for (int at = 0; at < iovs.limit() && stdinPosition < stdin.length; at += IOVEC_SIZE) {
      int buffer = iovs.getInt(at);
      long length = Integer.toUnsignedLong(iovs.getInt(at + 4));
      checkRange(buffer, length);
      int count = (int) Math.min(length, stdin.length - stdinPosition);
      if (count > 0) {
        memory.write(buffer, Arrays.copyOfRange(stdin, stdinPosition, stdinPosition + count));
        stdinPosition += count;
        read += count;
      }
    }
    memory.writeInt(readPointer, read);
    return SUCCESS;
  }

  /** A range that runs past 4 GiB cannot be in a wasm32 memory (and would wrap around in an int). */
  private static void checkRange(int address, long length) {
    if (Integer.toUnsignedLong(address) + length > U32_LIMIT) {
      throw new Fault();
    }
  }
}
