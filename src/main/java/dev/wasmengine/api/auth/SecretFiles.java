package dev.wasmengine.api.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.UUID;

/**
 * Files only their owner may read. Permissions are given at creation, never changed afterwards,
 * so no other user can open a secret in between; content is durable once a write returns.
 */
final class SecretFiles {
  private static final String OWNER_ONLY_DIR = "rwx------";
  private static final String OWNER_ONLY_FILE = "rw-------";

  private SecretFiles() {}

  /** Creates {@code dir} owner-only; a directory already there keeps the permissions it has. */
  static void createOwnerOnlyDirectory(Path dir) throws IOException {
    Path parent = dir.getParent();
    Files.createDirectories(parent);
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY_DIR)));
    } catch (FileAlreadyExistsException existing) {
      return;
    }
    syncDirectory(parent);
  }

  /**
   * Replaces or creates {@code target}: a temp file beside it, created owner-only, is written,
   * fsynced and renamed over it. The caller syncs the directory once its files are all in place.
   */
  static void writeOwnerOnly(Path target, String content) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY_FILE)))) {
        ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes creations and renames in {@code dir} durable (Linux allows fsync on a directory fd). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
