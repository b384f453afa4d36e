package dev.wasmengine.store;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The durable state of a node: one JSON file per function under {@code functions/} and the
 * modules in an OCI layout under {@code oci/}. A function exists once its record file is renamed
 * into place (the acknowledgement point); the layout's index is derived from the records.
 * Functions of the default namespace live in {@code functions/} itself (as before namespaces
 * existed), those of namespace N in {@code functions/N/}; a namespace exists while its directory
 * does. Blocking: call only from a worker pool, one change at a time.
 */
public final class FunctionStore {
  private static final Logger LOG = Logger.getLogger(FunctionStore.class.getName());
  private static final String RECORD_SUFFIX = ".json";

  private final Path functionsDir;
  private final Path tempDir;
  private final ModuleStore modules;

  private FunctionStore(Path dataDir) {
    this.functionsDir = dataDir.resolve("functions");
    this.tempDir = dataDir.resolve("tmp");
    this.modules = new ModuleStore(dataDir.resolve("oci"));
  }

  /** Opens (creating if needed) the store under {@code dataDir} and removes leftovers of crashed writes. */
  public static FunctionStore open(Path dataDir) throws IOException {
    FunctionStore store = new FunctionStore(dataDir);
    Files.createDirectories(store.functionsDir);
    Files.createDirectories(store.tempDir);
    store.modules.open();
    store.emptyTempDir();
    int removed = AtomicFiles.removeTempFiles(store.functionsDir);
    if (removed > 0) {
      LOG.info(() -> "removed " + removed + " temp file(s) left by an interrupted write");
    }
    return store;
  }

  /**
   * Reads every stored function whose module is present and intact. A record that cannot be read
   * is reported and left on disk for an operator; it cannot come from a crash, since records are
   * only ever renamed into place whole.
   */
  public List<FunctionRecord> loadAll() throws IOException {
    List<FunctionRecord> records = new ArrayList<>();
    loadDirectory(functionsDir, FunctionRef.DEFAULT_NAMESPACE, records);
    for (String namespace : namespaces()) {
      if (!namespace.equals(FunctionRef.DEFAULT_NAMESPACE)) {
        Path dir = functionsDir.resolve(namespace);
        AtomicFiles.removeTempFiles(dir);
        loadDirectory(dir, namespace, records);
      }
    }
    return records;
  }

  private void loadDirectory(Path dir, String namespace, List<FunctionRecord> records) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(RECORD_SUFFIX)
            || AtomicFiles.isTemp(file)) {
          continue;
        }
        try {
          FunctionRecord record = FunctionRecord.fromJson(new JsonObject(Files.readString(file)));
          if (!record.namespace().equals(namespace) || !file.equals(recordPath(record.ref()))) {
            LOG.severe(() -> "function record " + file + " names " + record.ref() + ", which belongs elsewhere; skipped");
          } else if (modules.contains(record.digest())) {
            records.add(record);
          } else {
            LOG.severe(() -> "function " + record.ref() + " not restored: module " + record.digest() + " is missing");
          }
        } catch (DecodeException | IllegalArgumentException | CharacterCodingException e) {
          LOG.log(Level.SEVERE, "unreadable function record " + file + ", skipped: " + e.getMessage());
        }
      }
    }
  }

  /** Every namespace: the default one and each that has a directory. */
  public Set<String> namespaces() throws IOException {
    Set<String> namespaces = new java.util.TreeSet<>();
    namespaces.add(FunctionRef.DEFAULT_NAMESPACE);
    try (Stream<Path> entries = Files.list(functionsDir)) {
      entries.filter(Files::isDirectory)
          .map(dir -> dir.getFileName().toString())
          .filter(FunctionNames::isValid)
          .forEach(namespaces::add);
    }
    return namespaces;
  }

  /** Makes a namespace exist durably; returns false if it already did. */
  public boolean createNamespace(String namespace) throws IOException {
    if (namespace.equals(FunctionRef.DEFAULT_NAMESPACE)) {
      return false;
    }
    Path dir = namespaceDir(namespace);
    if (Files.isDirectory(dir)) {
      return false;
    }
    Files.createDirectory(dir);
    AtomicFiles.syncDirectory(functionsDir);
    return true;
  }

  /**
   * Removes an empty namespace durably (the default one always stays); the caller checked that
   * no function lives there.
   */
  public void deleteNamespace(String namespace) throws IOException {
    if (namespace.equals(FunctionRef.DEFAULT_NAMESPACE)) {
      return;
    }
    Path dir = namespaceDir(namespace);
    AtomicFiles.removeTempFiles(dir);
    Files.deleteIfExists(dir);
    AtomicFiles.syncDirectory(functionsDir);
  }

  private Path namespaceDir(String namespace) {
    if (!FunctionNames.isValid(namespace)) {
      throw new IllegalArgumentException("invalid namespace " + namespace);
    }
    return functionsDir.resolve(namespace);
  }

  /**
   * Where downloads in progress live until verified ({@code tmp/}). Emptied at every open, so an
   * interrupted pull leaves nothing behind; callers delete their files when done.
   */
  public Path tempDir() {
    return tempDir;
  }

  public boolean containsModule(ModuleDigest digest) {
    return modules.contains(digest);
  }

  public ModuleDigest putModule(byte[] module) throws IOException {
    return modules.put(module);
  }

  public byte[] readModule(ModuleDigest digest) throws IOException {
    return modules.read(digest);
  }

  /** Makes {@code record} durable; {@code all} is every function after the change, for the index. */
  public void save(FunctionRecord record, Collection<FunctionRecord> all) throws IOException {
    createNamespace(record.namespace());
    AtomicFiles.write(recordPath(record.ref()), record.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8));
    try {
      modules.publish(byName(all));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "layout index update failed; it is rebuilt at the next start", e);
    }
  }

  /**
   * Replaces a function's record durably (an update), then drops the blobs no function needs.
   *
   * @param all      every function after the change
   * @param inFlight modules of deploys not yet saved, which must survive the cleanup
   */
  public void replace(FunctionRecord record, Collection<FunctionRecord> all, Set<ModuleDigest> inFlight)
      throws IOException {
    save(record, all);
    try {
      modules.retainOnly(digests(all), inFlight);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cleanup after an update failed; it is redone at the next start", e);
    }
  }

  /**
   * Removes a function durably, then the blobs no function needs any more.
   *
   * @param remaining every function after the change
   * @param inFlight  modules of deploys not yet saved, which must survive the cleanup
   */
  public void delete(FunctionRef function, Collection<FunctionRecord> remaining, Set<ModuleDigest> inFlight)
      throws IOException {
    AtomicFiles.delete(recordPath(function));
    try {
      modules.publish(byName(remaining));
      modules.retainOnly(digests(remaining), inFlight);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "layout index or cleanup failed; both are redone at the next start", e);
    }
  }

  /** Brings the layout index in line with the records and drops unreferenced blobs (at start). */
  public void reconcile(Collection<FunctionRecord> all) throws IOException {
    modules.publish(byName(all));
    modules.retainOnly(digests(all), Set.of());
  }

  private static Set<ModuleDigest> digests(Collection<FunctionRecord> records) {
    Set<ModuleDigest> digests = new HashSet<>();
    records.forEach(record -> digests.add(record.digest()));
    return digests;
  }

  private void emptyTempDir() throws IOException {
    try (Stream<Path> files = Files.list(tempDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Layout reference names: the function's name, {@code namespace/name} outside the default namespace. */
  private static Map<String, ModuleDigest> byName(Collection<FunctionRecord> records) {
    Map<String, ModuleDigest> map = new HashMap<>();
    records.forEach(record -> map.put(
        record.ref().inDefaultNamespace() ? record.name() : record.ref().key(), record.digest()));
    return map;
  }

  private Path recordPath(FunctionRef function) {
    Path dir = function.inDefaultNamespace() ? functionsDir : namespaceDir(function.namespace());
    return dir.resolve(function.name() + RECORD_SUFFIX);
  }
}
