package dev.wasmengine.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Durable replace-or-create of a file: write a temp file beside it, fsync it, rename it over the
 * target, fsync the directory. A crash at any point leaves either the old or the new content,
 * plus at most a stray temp file that {@link #isTemp(Path)} recognises for cleanup.
 */
final class AtomicFiles {
  static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  static void write(Path target, byte[] content) throws IOException {
    write(target, content, new FileAttribute<?>[0]);
  }

  /** Like {@link #write(Path, byte[])}, readable and writable by the owner alone from the moment it exists. */
  static void writePrivate(Path target, byte[] content) throws IOException {
    write(target, content, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  private static void write(Path target, byte[] content, FileAttribute<?>... attributes) throws IOException {
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    try {
      try (FileChannel channel = FileChannel.open(temp,
          java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  static void delete(Path target) throws IOException {
    if (Files.deleteIfExists(target)) {
      syncDirectory(target.getParent());
    }
  }

  /** Makes renames and unlinks in {@code dir} durable (Linux allows fsync on a directory fd). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Deletes the temp files an interrupted {@link #write} left in {@code dir}; returns how many. */
  static int removeTempFiles(Path dir) throws IOException {
    int removed = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (isTemp(file)) {
          Files.delete(file);
          removed++;
        }
      }
    }
    return removed;
  }

  static boolean isTemp(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
  }
}
