package dev.wasmengine.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.error.BadImageException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local images as operators hand them over: module files and OCI layouts, good and bad. Layers
 * are made by the real tar and gzip, the layouts the way skopeo lays them out.
 */
class LocalImagesTest {
  static final long CAP = 1024 * 1024;

  @TempDir
  Path work;

  final LocalImages images = new LocalImages(CAP);
  final byte[] gcd = Modules.bytes(Modules.example("gcd"));

  @Test
  void a_module_file_is_read_as_is() {
    assertArrayEquals(gcd, images.read(Modules.example("gcd").toString()).module());
  }

  @Test
  void both_layout_forms_built_by_the_experiments_yield_the_module() {
    for (String form : List.of("image", "artifact")) {
      byte[] module = images.read("oci:" + Modules.ociLayout("gcd", form) + ":v1").module();
      assertArrayEquals(gcd, module, form);
      assertArrayEquals(gcd, images.read("oci:" + Modules.ociLayout("gcd", form)).module(), form + " without a tag");
    }
  }

  @Test
  void a_layer_with_the_module_anywhere_in_the_tree_is_accepted() throws Exception {
    Path tree = work.resolve("tree");
    Files.createDirectories(tree.resolve("app/bin"));
    Files.write(tree.resolve("app/bin/fn.wasm"), gcd);
    Files.writeString(tree.resolve("app/README"), "not a module");
    assertArrayEquals(gcd, images.read("oci:" + layout(tarGz(tree, "app"), "v1") + ":v1").module());
  }

  @Test
  void a_layer_without_a_module_or_with_two_is_refused_naming_what_it_found() throws Exception {
    Path none = work.resolve("none");
    Files.createDirectories(none);
    Files.writeString(none.resolve("notes.txt"), "hello");
    assertRefused(BadImageException.class, layout(tarGz(none, "notes.txt"), "v1"), "no .wasm file");

    Path two = work.resolve("two");
    Files.createDirectories(two);
    Files.write(two.resolve("a.wasm"), gcd);
    Files.write(two.resolve("b.wasm"), gcd);
    assertRefused(BadImageException.class, layout(tarGz(two, "a.wasm", "b.wasm"), "v1"), "2 .wasm files");
  }

  @Test
  void a_layer_with_a_link_or_a_path_outside_the_root_is_refused() throws Exception {
    Path linked = work.resolve("linked");
    Files.createDirectories(linked);
    Files.write(linked.resolve("real.wasm"), gcd);
    Files.createSymbolicLink(linked.resolve("fn.wasm"), Path.of("/etc/passwd"));
    assertRefused(BadImageException.class, layout(tarGz(linked, "fn.wasm"), "v1"), "link");

    Path escaping = work.resolve("escaping/inner");
    Files.createDirectories(escaping);
    Files.write(work.resolve("escaping/evil.wasm"), gcd);
    Path tar = work.resolve("escaping.tar.gz");
    run(escaping, "tar", "--create", "--gzip", "--file", tar.toString(), "--absolute-names", "../evil.wasm");
    assertRefused(BadImageException.class, layout(tar, "v1"), "escapes the image root");
  }

  @Test
  void a_layer_that_unpacks_past_the_cap_is_refused() throws Exception {
    Path big = work.resolve("big");
    Files.createDirectories(big);
    Files.write(big.resolve("fn.wasm"), new byte[(int) CAP + 1]);
    assertRefused(BadImageException.class, layout(tarGz(big, "fn.wasm"), "v1"), "more than " + CAP + " bytes");
  }

  @Test
  void a_blob_that_does_not_match_its_digest_is_refused() throws Exception {
    Path layout = Modules.ociLayout("gcd", "artifact");
    Path copy = work.resolve("tampered");
    run(work, "cp", "-r", layout.toString(), copy.toString());
    Path blob = copy.resolve("blobs/sha256").resolve(ModuleDigest.of(gcd).hex());
    byte[] tampered = gcd.clone();
    tampered[tampered.length - 1] ^= 1;
    Files.write(blob, tampered);
    assertRefused(BadImageException.class, copy, "does not match its digest");
  }

  @Test
  void a_missing_layout_or_tag_is_not_found() {
    assertThrows(NotFoundException.class, () -> images.read("oci:" + work.resolve("nothing-here")));
    EngineException e = assertThrows(NotFoundException.class,
        () -> images.read("oci:" + Modules.ociLayout("gcd", "image") + ":v2"));
    assertTrue(e.getMessage().contains("[v1]"), "lists the tags there are: " + e.getMessage());
  }

  private void assertRefused(Class<? extends EngineException> kind, Path layout, String messagePart) {
    EngineException e = assertThrows(kind, () -> images.read("oci:" + layout + ":v1"));
    assertTrue(e.getMessage().contains(messagePart), "\"" + e.getMessage() + "\" should mention \"" + messagePart + "\"");
  }

  /** A tar+gzip of the given entries of {@code dir}, made by the real tar. */
  private Path tarGz(Path dir, String... entries) throws Exception {
    Path tar = work.resolve(dir.getFileName() + ".tar.gz");
    List<String> command = new java.util.ArrayList<>(List.of("tar", "--create", "--gzip", "--file", tar.toString()));
    command.addAll(List.of(entries));
    run(dir, command.toArray(String[]::new));
    return tar;
  }

  /** An OCI image layout with one manifest (tagged) whose single layer is the given tar+gzip. */
  private Path layout(Path layer, String tag) throws IOException {
    Path dir = work.resolve("layout-" + layer.getFileName());
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    byte[] layerBytes = Files.readAllBytes(layer);
    byte[] config = "{\"architecture\":\"wasm\",\"os\":\"wasip1\"}".getBytes(StandardCharsets.UTF_8);
    JsonObject manifest = new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
        .put("config", blob(blobs, config, "application/vnd.oci.image.config.v1+json"))
        .put("layers", new JsonArray().add(blob(blobs, layerBytes, "application/vnd.oci.image.layer.v1.tar+gzip")));
    JsonObject manifestDescriptor = blob(blobs, manifest.encode().getBytes(StandardCharsets.UTF_8),
        "application/vnd.oci.image.manifest.v1+json")
        .put("annotations", new JsonObject().put("org.opencontainers.image.ref.name", tag));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), new JsonObject().put("schemaVersion", 2)
        .put("manifests", new JsonArray().add(manifestDescriptor)).encode());
    return dir;
  }

  private static JsonObject blob(Path blobs, byte[] content, String mediaType) throws IOException {
    ModuleDigest digest = ModuleDigest.of(content);
    Files.write(blobs.resolve(digest.hex()), content);
    return new JsonObject().put("mediaType", mediaType).put("digest", digest.toString()).put("size", content.length);
  }

  private static void run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
    assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
  }
}
