package dev.wasmengine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The durable state of a node on a real file system: records round-trip, modules are stored once
 * per digest and collected when no function needs them, leftovers of crashed writes are cleaned,
 * damaged records never stop a restart, and the OCI layout is one that real skopeo reads.
 */
class FunctionStoreTest {
  private static final Duration SKOPEO_DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path data;

  private final byte[] gcd = Modules.bytes(Modules.example("gcd"));
  private final byte[] hello = Modules.bytes(Modules.example("hello"));

  private static FunctionRecord record(String name, byte[] module, ModuleDigest digest, boolean wasiCap, ExecutionModel model) {
    return new FunctionRecord(FunctionRef.of(name), "/images/" + name + ".wasm", Optional.empty(), Optional.empty(), digest,
        wasiCap ? FunctionKind.COMMAND : FunctionKind.EXPORT, model, module.length,
        Instant.now().truncatedTo(ChronoUnit.MILLIS), FunctionOptions.NONE, 0);
  }

  private Path blobs() {
    return data.resolve("oci").resolve("blobs").resolve("sha256");
  }

  private Path functions() {
    return data.resolve("functions");
  }

  /** How many stored blobs hold exactly these bytes. */
  private long blobsHolding(byte[] content) throws IOException {
    try (Stream<Path> files = Files.list(blobs())) {
      return files.filter(file -> Arrays.equals(read(file), content)).count();
    }
  }

  private long blobCount() throws IOException {
    try (Stream<Path> files = Files.list(blobs())) {
      return files.count();
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> indexedNames() throws IOException {
    JsonArray manifests = new JsonObject(Files.readString(data.resolve("oci").resolve("index.json"))).getJsonArray("manifests");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < manifests.size(); i++) {
      names.add(manifests.getJsonObject(i).getJsonObject("annotations").getString("org.opencontainers.image.ref.name"));
    }
    return names;
  }

  @Test
  void a_saved_function_is_loaded_back_as_it_was() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest gcdDigest = store.putModule(gcd);
    ModuleDigest helloDigest = store.putModule(hello);
    assertEquals(ModuleDigest.of(gcd), gcdDigest);
    FunctionRecord gcdRecord = record("gcd", gcd, gcdDigest, false, ExecutionModel.AOT);
    FunctionRecord helloRecord = record("hello", hello, helloDigest, true, ExecutionModel.JIT);
    store.save(gcdRecord, List.of(gcdRecord));
    store.save(helloRecord, List.of(gcdRecord, helloRecord));

    FunctionStore reopened = FunctionStore.open(data);
    assertEquals(List.of(gcdRecord, helloRecord), reopened.loadAll());
    assertArrayEquals(gcd, reopened.readModule(gcdDigest));
    assertArrayEquals(hello, reopened.readModule(helloDigest));
    assertEquals(List.of("gcd", "hello"), indexedNames());
  }

  @Test
  void functions_of_other_namespaces_live_in_their_own_directory_and_come_back_with_everything_they_set()
      throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest digest = store.putModule(hello);
    FunctionOptions options = new FunctionOptions(java.util.Map.of("team", "edge"), Optional.empty(), Optional.empty(),
        Optional.of(80), java.util.Map.of("GREETING", "hi"), List.of("api-key"), java.util.Map.of("note", "x"),
        Optional.of(0), new JsonObject().put("limits", new JsonObject().put("memory", "5Mi")));
    FunctionRecord inDefault = record("hello", hello, digest, true, ExecutionModel.JIT);
    FunctionRecord inStaging = new FunctionRecord(new FunctionRef("staging", "hello"), "/images/hello.wasm",
        Optional.empty(), Optional.empty(), digest, FunctionKind.HTTP, ExecutionModel.AOT, hello.length,
        Instant.now().truncatedTo(ChronoUnit.MILLIS), options, 0);
    store.save(inDefault, List.of(inDefault));
    store.save(inStaging, List.of(inDefault, inStaging));

    assertTrue(Files.isRegularFile(functions().resolve("hello.json")));
    assertTrue(Files.isRegularFile(functions().resolve("staging").resolve("hello.json")));
    FunctionStore reopened = FunctionStore.open(data);
    assertEquals(List.of(inDefault, inStaging), reopened.loadAll());
    assertEquals(java.util.Set.of("openfaas-fn", "staging"), reopened.namespaces());
    assertEquals(List.of("hello", "staging/hello"), indexedNames());

    reopened.delete(inStaging.ref(), List.of(inDefault), Set.of());
    assertEquals(List.of(inDefault), FunctionStore.open(data).loadAll());
    reopened.deleteNamespace("staging");
    assertEquals(java.util.Set.of("openfaas-fn"), FunctionStore.open(data).namespaces());
  }

  @Test
  void a_record_written_before_namespaces_and_abis_reads_as_a_default_namespace_function() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest digest = store.putModule(hello);
    JsonObject legacy = new JsonObject()
        .put("function_name", "hello")
        .put("function_image", "/images/hello.wasm")
        .put("digest", digest.toString())
        .put("wasi_cap", true)
        .put("execution_model", "jit")
        .put("module_size", hello.length)
        .put("created_at", "2026-11-01T00:00:00Z")
        .put("labels", new JsonObject());
    Files.writeString(functions().resolve("hello.json"), legacy.encode());

    FunctionRecord loaded = FunctionStore.open(data).loadAll().getFirst();
    assertEquals(FunctionRef.of("hello"), loaded.ref());
    assertEquals(FunctionKind.COMMAND, loaded.kind());
    assertEquals(FunctionOptions.NONE, loaded.options());
  }

  @Test
  void a_record_filed_under_the_wrong_namespace_is_not_restored() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest digest = store.putModule(hello);
    FunctionRecord record = record("hello", hello, digest, true, ExecutionModel.JIT);
    Files.createDirectories(functions().resolve("staging"));
    Files.writeString(functions().resolve("staging").resolve("hello.json"), record.toJson().encode());
    assertEquals(List.of(), FunctionStore.open(data).loadAll(), "a record says which namespace it belongs to");
  }

  @Test
  void a_module_deployed_under_two_names_is_stored_once() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest first = store.putModule(gcd);
    ModuleDigest second = store.putModule(gcd.clone());
    assertEquals(first, second);
    FunctionRecord a = record("gcd-a", gcd, first, false, ExecutionModel.JIT);
    FunctionRecord b = record("gcd-b", gcd, second, false, ExecutionModel.AOT);
    store.save(a, List.of(a));
    store.save(b, List.of(a, b));

    assertEquals(1, blobsHolding(gcd), "the module should be stored once");
    assertTrue(Files.isRegularFile(blobs().resolve(first.hex())), "the blob is named by the module's digest");
    // One module, its one manifest (both names point at it), the shared config.
    assertEquals(3, blobCount(), "blobs: module, manifest, config");
    assertEquals(List.of(a, b), FunctionStore.open(data).loadAll());
  }

  @Test
  void deleting_a_function_collects_its_module_only_when_no_other_function_uses_it() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest gcdDigest = store.putModule(gcd);
    ModuleDigest helloDigest = store.putModule(hello);
    FunctionRecord a = record("a", gcd, gcdDigest, false, ExecutionModel.JIT);
    FunctionRecord b = record("b", gcd, gcdDigest, false, ExecutionModel.JIT);
    FunctionRecord c = record("c", hello, helloDigest, true, ExecutionModel.JIT);
    store.save(a, List.of(a));
    store.save(b, List.of(a, b));
    store.save(c, List.of(a, b, c));

    store.delete(FunctionRef.of("a"), List.of(b, c), Set.of());
    assertFalse(Files.exists(functions().resolve("a.json")), "the record of a is gone");
    assertEquals(1, blobsHolding(gcd), "b still uses the module of a");
    assertEquals(List.of(b, c), FunctionStore.open(data).loadAll());
    assertEquals(List.of("b", "c"), indexedNames());

    store.delete(FunctionRef.of("b"), List.of(c), Set.of());
    assertFalse(Files.exists(functions().resolve("b.json")), "the record of b is gone");
    assertEquals(0, blobsHolding(gcd), "no function uses the module of b any more");
    assertFalse(Files.exists(blobs().resolve(gcdDigest.hex())));
    assertEquals(1, blobsHolding(hello), "c keeps its module");
    assertEquals(List.of(c), FunctionStore.open(data).loadAll());
    assertEquals(List.of("c"), indexedNames());
  }

  @Test
  void a_module_passed_as_in_flight_survives_a_delete() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest helloDigest = store.putModule(hello);
    FunctionRecord c = record("c", hello, helloDigest, true, ExecutionModel.JIT);
    store.save(c, List.of(c));
    // A deploy has stored its module and not yet its record.
    ModuleDigest deploying = store.putModule(gcd);

    store.delete(FunctionRef.of("c"), List.of(), Set.of(deploying));
    assertEquals(1, blobsHolding(gcd), "the in-flight module must survive the cleanup");
    assertArrayEquals(gcd, store.readModule(deploying));
    assertEquals(0, blobsHolding(hello), "the deleted function's module is collected");
    assertEquals(List.of(), store.loadAll());

    // The deploy then completes, on a module that is still there.
    FunctionRecord d = record("d", gcd, deploying, false, ExecutionModel.AOT);
    store.save(d, List.of(d));
    assertEquals(List.of(d), FunctionStore.open(data).loadAll());
  }

  /**
   * A deploy marks its module in flight just before it writes the blob (RegistryVerticle.prepare),
   * so a delete running meanwhile sees an in-flight digest with no blob yet. That delete must
   * still succeed, and the blob written afterwards must be kept.
   */
  @Test
  void a_delete_succeeds_while_an_in_flight_module_is_not_written_yet() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest helloDigest = store.putModule(hello);
    FunctionRecord c = record("c", hello, helloDigest, true, ExecutionModel.JIT);
    store.save(c, List.of(c));

    store.delete(FunctionRef.of("c"), List.of(), Set.of(ModuleDigest.of(gcd)));
    assertEquals(List.of(), store.loadAll());
    ModuleDigest deploying = store.putModule(gcd);
    FunctionRecord d = record("d", gcd, deploying, false, ExecutionModel.AOT);
    store.save(d, List.of(d));
    assertEquals(List.of(d), FunctionStore.open(data).loadAll());
  }

  @Test
  void a_leftover_temp_file_is_removed_at_open_and_never_loaded() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest digest = store.putModule(gcd);
    FunctionRecord gcdRecord = record("gcd", gcd, digest, false, ExecutionModel.JIT);
    store.save(gcdRecord, List.of(gcdRecord));
    // What AtomicFiles leaves when the process dies between creating its temp file and the rename:
    // here a whole record of another function, which must not come back.
    FunctionRecord ghost = record("ghost", gcd, digest, false, ExecutionModel.JIT);
    Path recordTemp = functions().resolve(".ghost.json." + UUID.randomUUID() + ".tmp");
    Files.writeString(recordTemp, ghost.toJson().encodePrettily());
    Path blobTemp = blobs().resolve("." + ModuleDigest.of(hello).hex() + "." + UUID.randomUUID() + ".tmp");
    Files.write(blobTemp, Arrays.copyOf(hello, hello.length / 2));

    assertEquals(List.of(gcdRecord), store.loadAll(), "a temp file is never loaded");

    FunctionStore reopened = FunctionStore.open(data);
    assertFalse(Files.exists(recordTemp), "the record temp file is removed at open");
    assertFalse(Files.exists(blobTemp), "the blob temp file is removed at open");
    assertEquals(List.of(gcdRecord), reopened.loadAll());
  }

  /** index.json and oci-layout are written through AtomicFiles too, beside them in oci/. */
  @Test
  void a_leftover_temp_file_of_the_layout_index_is_removed_at_open() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest digest = store.putModule(gcd);
    FunctionRecord gcdRecord = record("gcd", gcd, digest, false, ExecutionModel.JIT);
    store.save(gcdRecord, List.of(gcdRecord));
    Path indexTemp = data.resolve("oci").resolve(".index.json." + UUID.randomUUID() + ".tmp");
    Files.writeString(indexTemp, "{\"schemaVersion\":2,\"manif");

    FunctionStore.open(data);
    assertFalse(Files.exists(indexTemp), indexTemp.getFileName() + " was left by an interrupted write and should be removed at open");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"function_name\": \"broken\"",
      "",
      "null",
      "[]",
      "{}",
      "{\"function_name\": \"broken\", \"function_image\": 7}",
      "{\"function_name\": \"../broken\", \"function_image\": \"x\", \"digest\": \"sha256:00\"}",
  })
  void an_unreadable_record_is_skipped_and_left_on_disk(String content) throws IOException {
    assertUnreadableRecordSkipped(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_record_that_is_not_utf8_is_skipped_and_left_on_disk() throws IOException {
    assertUnreadableRecordSkipped(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});
  }

  private void assertUnreadableRecordSkipped(byte[] content) throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest digest = store.putModule(gcd);
    FunctionRecord gcdRecord = record("gcd", gcd, digest, false, ExecutionModel.JIT);
    store.save(gcdRecord, List.of(gcdRecord));
    Path broken = functions().resolve("broken.json");
    Files.write(broken, content);

    assertEquals(List.of(gcdRecord), store.loadAll(), "only the readable record loads");
    FunctionStore reopened = FunctionStore.open(data);
    assertEquals(List.of(gcdRecord), reopened.loadAll(), "and again after a restart");
    assertTrue(Files.exists(broken), "the unreadable record is left for an operator");
    assertArrayEquals(content, Files.readAllBytes(broken), "and left unchanged");
  }

  @Test
  void a_function_whose_module_is_missing_is_not_restored() throws IOException {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest gcdDigest = store.putModule(gcd);
    ModuleDigest helloDigest = store.putModule(hello);
    FunctionRecord gcdRecord = record("gcd", gcd, gcdDigest, false, ExecutionModel.JIT);
    FunctionRecord helloRecord = record("hello", hello, helloDigest, true, ExecutionModel.JIT);
    store.save(gcdRecord, List.of(gcdRecord));
    store.save(helloRecord, List.of(gcdRecord, helloRecord));
    // A record naming a module that was never stored.
    FunctionRecord orphan = record("orphan", new byte[] {0, 'a', 's', 'm'}, ModuleDigest.of(new byte[] {0, 'a', 's', 'm'}),
        false, ExecutionModel.JIT);
    Files.writeString(functions().resolve("orphan.json"), orphan.toJson().encodePrettily());

    Files.delete(blobs().resolve(helloDigest.hex()));

    assertEquals(List.of(gcdRecord), FunctionStore.open(data).loadAll());
  }

  @Test
  void the_layout_is_read_by_skopeo_as_a_wasm_artifact(@TempDir Path scratch) throws Exception {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest gcdDigest = store.putModule(gcd);
    ModuleDigest helloDigest = store.putModule(hello);
    FunctionRecord gcdRecord = record("gcd", gcd, gcdDigest, false, ExecutionModel.JIT);
    FunctionRecord helloRecord = record("hello", hello, helloDigest, true, ExecutionModel.AOT);
    store.save(gcdRecord, List.of(gcdRecord));
    store.save(helloRecord, List.of(gcdRecord, helloRecord));

    for (FunctionRecord function : List.of(gcdRecord, helloRecord)) {
      Skopeo inspect = skopeo(scratch, "inspect", "--raw", "oci:" + data.resolve("oci") + ":" + function.name());
      assertEquals(0, inspect.exitCode(), "skopeo inspect " + function.name() + ":\n" + inspect);
      JsonObject manifest = new JsonObject(inspect.stdout());
      JsonArray layers = manifest.getJsonArray("layers");
      assertEquals(1, layers.size(), manifest.encodePrettily());
      assertEquals("application/wasm", layers.getJsonObject(0).getString("mediaType"), manifest.encodePrettily());
      assertEquals(function.digest().toString(), layers.getJsonObject(0).getString("digest"), manifest.encodePrettily());
      assertEquals(function.moduleSize(), layers.getJsonObject(0).getLong("size"), manifest.encodePrettily());
    }
  }

  @Test
  void skopeo_copies_a_stored_function_to_another_layout(@TempDir Path scratch) throws Exception {
    FunctionStore store = FunctionStore.open(data);
    ModuleDigest digest = store.putModule(gcd);
    FunctionRecord gcdRecord = record("gcd", gcd, digest, false, ExecutionModel.JIT);
    store.save(gcdRecord, List.of(gcdRecord));

    Path copy = scratch.resolve("copy");
    Skopeo copied = skopeo(scratch, "copy", "oci:" + data.resolve("oci") + ":gcd", "oci:" + copy + ":gcd");
    assertEquals(0, copied.exitCode(), "skopeo copy:\n" + copied);
    assertArrayEquals(gcd, Files.readAllBytes(copy.resolve("blobs").resolve("sha256").resolve(digest.hex())),
        "the copied layout holds the module");
  }

  private record Skopeo(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  /** Runs the real skopeo with a deadline; its outputs go to files, so nothing blocks on a pipe. */
  private static Skopeo skopeo(Path scratch, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("skopeo");
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile(scratch, "skopeo", ".out");
    Path stderr = Files.createTempFile(scratch, "skopeo", ".err");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    try {
      assertTrue(process.waitFor(SKOPEO_DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
          command + " did not finish within " + SKOPEO_DEADLINE);
      return new Skopeo(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    } finally {
      process.destroyForcibly();
    }
  }
}
