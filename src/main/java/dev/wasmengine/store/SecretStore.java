package dev.wasmengine.store;

import dev.wasmengine.bus.FunctionNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Secrets, one file per secret under {@code secrets/<namespace>/<name>}, readable by the engine's
 * user alone (directories 0700, files 0600). Values leave this class only for the functions that
 * name them; listing gives names. Blocking: call only from a worker pool, one change at a time.
 */
public final class SecretStore {
  private final Path root;

  private SecretStore(Path root) {
    this.root = root;
  }

  public static SecretStore open(Path dataDir) throws IOException {
    SecretStore store = new SecretStore(dataDir.resolve("secrets"));
    privateDirectory(store.root);
    try (Stream<Path> dirs = Files.list(store.root)) {
      for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        AtomicFiles.removeTempFiles(dir);
      }
    }
    return store;
  }

  public boolean exists(String namespace, String name) {
    return Files.isRegularFile(path(namespace, name));
  }

  /** Creates or replaces a secret durably. */
  public void put(String namespace, String name, byte[] value) throws IOException {
    Path dir = root.resolve(checked(namespace, "namespace"));
    if (!Files.isDirectory(dir)) {
      privateDirectory(dir);
      AtomicFiles.syncDirectory(root);
    }
    AtomicFiles.writePrivate(path(namespace, name), value);
  }

  public Optional<byte[]> read(String namespace, String name) throws IOException {
    Path file = path(namespace, name);
    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  /** Returns false if there was no such secret. */
  public boolean delete(String namespace, String name) throws IOException {
    Path file = path(namespace, name);
    boolean existed = Files.exists(file);
    AtomicFiles.delete(file);
    return existed;
  }

  /** The names of a namespace's secrets, sorted. */
  public List<String> names(String namespace) throws IOException {
    Path dir = root.resolve(checked(namespace, "namespace"));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> !AtomicFiles.isTemp(file) && Files.isRegularFile(file))
          .map(file -> file.getFileName().toString())
          .filter(FunctionNames::isValid)
          .sorted()
          .toList();
    }
  }

  private Path path(String namespace, String name) {
    return root.resolve(checked(namespace, "namespace")).resolve(checked(name, "secret name"));
  }

  /** Names become file names: only the function-name alphabet, never a path. */
  private static String checked(String name, String what) {
    if (!FunctionNames.isValid(name)) {
      throw new IllegalArgumentException("invalid " + what + " " + name);
    }
    return name;
  }

  private static void privateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }
}
