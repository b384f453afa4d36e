package dev.wasmengine.runtime.wasi;

/** The {@code errno} values of wasi_snapshot_preview1 that {@link WasiHost} answers. */
public final class WasiErrno {
  /** No error. */
  public static final int SUCCESS = 0;
  /** Bad file descriptor: not open, closed, or not usable for that operation. */
  public static final int EBADF = 8;
  /** Bad address: a pointer or buffer outside guest memory. */
  public static final int EFAULT = 21;
  /** Invalid argument (an unknown clock, for instance). */
  public static final int EINVAL = 28;
  /** I/O error: the host stream behind stdout or stderr failed. */
  public static final int EIO = 29;
  /** Is a directory: a file operation (read, seek, open for writing) on a directory. */
  public static final int EISDIR = 31;
  /** Too many open files in this guest. */
  public static final int EMFILE = 33;
  /** A path longer than the host accepts, or a buffer too small for a preopen's name. */
  public static final int ENAMETOOLONG = 37;
  /** No such file or directory. */
  public static final int ENOENT = 44;
  /** Function not supported by this host (sleeping, signals, ...). */
  public static final int ENOSYS = 52;
  /** Not a directory. */
  public static final int ENOTDIR = 54;
  /** Invalid seek: stdio streams are not seekable. */
  public static final int ESPIPE = 70;
  /**
   * Capabilities insufficient: a path outside the call's read-only directory (or any path when
   * it has none), creating, truncating or writing files, sockets.
   */
  public static final int ENOTCAPABLE = 76;

  private WasiErrno() {}
}
