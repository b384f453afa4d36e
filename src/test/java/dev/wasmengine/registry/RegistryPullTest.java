package dev.wasmengine.registry;

import static dev.wasmengine.registry.RegistryTestSupport.assertAnswersLike;
import static dev.wasmengine.registry.RegistryTestSupport.assertDeployRefused;
import static dev.wasmengine.registry.RegistryTestSupport.assertError;
import static dev.wasmengine.registry.RegistryTestSupport.delete;
import static dev.wasmengine.registry.RegistryTestSupport.deployBody;
import static dev.wasmengine.registry.RegistryTestSupport.deployed;
import static dev.wasmengine.registry.RegistryTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.Images;
import dev.wasmengine.testing.Images.Format;
import dev.wasmengine.testing.Images.Pushed;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RegistryServer;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deploying functions from a real registry (CNCF distribution, started here on a loopback port)
 * through the REST API: every image form real tools push, both execution models, digest
 * references, the failures a registry pull can meet (each leaving nothing stored), blob dedup and
 * update. The engine speaks plain http to the loopback registry through its https fallback.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryPullTest {
  /** The forms a function image reaches a registry in. */
  enum ImageForm { OCI_IMAGE, DOCKER_V2S2, MULTI_PLATFORM_INDEX, WASM_ARTIFACT }

  Path work;
  Path dataDir;
  RegistryServer registry;
  Images images;
  RunningEngine engine;
  final Map<ImageForm, Pushed> gcdImages = new ConcurrentHashMap<>();
  final byte[] gcd = Modules.bytes(Modules.example("gcd"));
  final byte[] hello = Modules.bytes(Modules.example("hello"));
  final byte[] addOne = Modules.bytes(Modules.example("add_one"));

  @BeforeAll
  void startRegistryAndEngine(Vertx vertx, @TempDir Path work) {
    this.work = work;
    registry = RegistryServer.plain(work);
    images = Images.forRegistry(work, registry);
    engine = RegistryTestSupport.startEngine(vertx, work.resolve("engine"), RegistryTestSupport.registrySection());
    dataDir = work.resolve("engine/data");
  }

  @AfterAll
  void stopEverything() {
    RegistryTestSupport.closeAll(engine, registry);
  }

  Stream<Arguments> formsAndModels() {
    return Stream.of(ImageForm.values())
        .flatMap(form -> Stream.of(ExecutionModel.values()).map(model -> Arguments.of(form, model)));
  }

  /** gcd pushed in {@code form}, once per class. */
  Pushed gcdImage(ImageForm form) {
    return gcdImages.computeIfAbsent(form, f -> switch (f) {
      case OCI_IMAGE -> images.pushExample("gcd", "image", "forms/oci-image/gcd:v1", Format.OCI);
      case DOCKER_V2S2 -> images.pushExample("gcd", "image", "forms/docker-v2s2/gcd:v1", Format.V2S2);
      case MULTI_PLATFORM_INDEX -> images.pushIndex(images.multiPlatformLayout("gcd-index", gcd, "gcd.wasm"),
          "forms/index/gcd:v1");
      case WASM_ARTIFACT -> images.pushExample("gcd", "artifact", "forms/artifact/gcd:v1", Format.OCI);
    });
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("formsAndModels")
  void every_image_form_deploys_by_tag_and_answers_on_both_execution_models(ImageForm form, ExecutionModel model) {
    Pushed image = gcdImage(form);
    if (form == ImageForm.DOCKER_V2S2) {
      assertTrue(new String(images.rawManifest("forms/docker-v2s2/gcd:v1"), StandardCharsets.UTF_8)
          .contains("application/vnd.docker.distribution.manifest.v2+json"), "skopeo pushed Docker media types");
    }
    if (form == ImageForm.MULTI_PLATFORM_INDEX) {
      assertNotEquals(image.taggedDigest(), image.manifestDigest(), "the tag names an index");
    }
    JsonObject record = deployed(engine, deployBody("gcd", image.ref(), false, model));
    try {
      assertEquals("gcd", record.getString("function_name"));
      assertEquals(image.ref(), record.getString("function_image"), "the reference is kept as given");
      assertEquals(image.manifestDigest(), record.getString("image_digest"), "the manifest that was pulled");
      assertEquals(Images.digest(gcd), record.getString("digest"));
      assertEquals(gcd.length, record.getLong("module_size"));
      assertEquals(model.wireName(), record.getString("execution_model"));
      assertAnswersLike(engine, "gcd", "gcd");
      JsonObject queried = query(engine, "gcd");
      assertEquals(image.manifestDigest(), queried.getString("image_digest"));
      assertEquals(image.ref(), queried.getString("function_image"));
    } finally {
      delete(engine, "gcd");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ExecutionModel.class)
  void a_wasi_function_deploys_by_digest_reference(ExecutionModel model) {
    Pushed image = images.pushExample("hello", "image", "fns/hello:v1", Format.OCI);
    String name = "hello-by-digest-" + model.wireName();
    String reference = image.digestRef();
    assertTrue(reference.contains("/fns/hello@sha256:"), reference);
    JsonObject record = deployed(engine, deployBody(name, reference, null, model));
    try {
      assertEquals(reference, record.getString("function_image"));
      assertEquals(image.manifestDigest(), record.getString("image_digest"));
      assertEquals(Boolean.TRUE, record.getBoolean("wasi_cap"), "detected from the module");
      assertAnswersLike(engine, name, "hello");
      assertEquals(image.manifestDigest(), query(engine, name).getString("image_digest"));
    } finally {
      delete(engine, name);
    }
  }

  @Test
  void a_registry_listed_as_insecure_is_spoken_to_over_plain_http() {
    Pushed image = images.pushExample("add_one", "artifact", "insecure/add_one:v1", Format.OCI);
    JsonObject section = RegistryTestSupport.registrySection()
        .put("insecure", new JsonArray().add(registry.host()));
    int before = registry.countRequests("GET", "/v2/insecure/add_one/manifests/.*");
    // A Vert.x of its own: two engines on one event bus would share their invoke addresses.
    Vertx own = Vertx.vertx();
    try (RunningEngine insecure = RegistryTestSupport.startEngine(own, work.resolve("insecure-engine"), section)) {
      JsonObject record = deployed(insecure, deployBody("add-one", image.ref(), true, null));
      assertEquals(image.manifestDigest(), record.getString("image_digest"));
      assertAnswersLike(insecure, "add-one", "add_one");
    } finally {
      Await.result(own.close());
    }
    assertTrue(registry.countRequests("GET", "/v2/insecure/add_one/manifests/.*") > before,
        "the manifest came from the registry");
  }

  // ---- failures: each answers what failed and stores nothing ----

  @Test
  void an_unknown_tag_is_not_found_and_names_the_reference() {
    Pushed image = gcdImage(ImageForm.OCI_IMAGE);
    String reference = image.ref().replace(":v1", ":no-such-tag");
    JsonObject answer = assertDeployRefused(engine, dataDir, deployBody("gcd", reference, false, null),
        404, "not_found", "not found");
    String message = answer.getString("message");
    assertTrue(message.contains("forms/oci-image/gcd") && message.contains("no-such-tag"), "names " + reference + ": " + message);
  }

  @Test
  void an_unknown_repository_is_not_found() {
    assertDeployRefused(engine, dataDir, deployBody("gcd", registry.ref("no/such-repo:v1"), false, null),
        404, "not_found", "not found");
  }

  @Test
  void a_blob_the_registry_serves_corrupted_is_refused_as_a_digest_mismatch() throws IOException {
    // A module of its own (a unique custom section), so the corrupted blob is shared with no other test.
    byte[] module = Images.withCustomSection(addOne, "test-nonce", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    Pushed image = images.push(images.artifactLayout("corrupt", module, Images.WASM_LAYER), "bad/corrupt:v1", Format.OCI);
    Path blob = registry.blobFile(image.layerDigest());
    byte[] served = Files.readAllBytes(blob);
    assertArrayEquals(module, served);
    served[served.length - 1] ^= 0x01; // inside the custom section: still a valid module, a wrong digest
    Files.write(blob, served);
    assertDeployRefused(engine, dataDir, deployBody("corrupt", image.ref(), true, null),
        422, "bad_image", "does not match its digest");
    assertTrue(registry.countRequests("GET", "/v2/bad/corrupt/blobs/" + image.layerDigest()) >= 1,
        "the corrupted blob was served");
  }

  @Test
  void a_gzip_bomb_is_refused_once_it_unpacks_past_the_cap() throws IOException {
    Path bomb = images.gzipBomb("bomb", 2 * RegistryTestSupport.MAX_UNPACKED_BYTES);
    assertTrue(Files.size(bomb) < RegistryTestSupport.MAX_UNPACKED_BYTES / 64, "the layer is small compressed");
    Pushed image = images.push(images.imageLayout("bomb", bomb, Images.OCI_LAYER_TAR_GZIP), "bad/bomb:v1", Format.OCI);
    assertDeployRefused(engine, dataDir, deployBody("bomb", image.ref(), true, null), 422, "bad_image", "more than");
  }

  @Test
  void a_layer_entry_outside_the_image_root_is_refused() {
    Pushed image = images.push(images.imageLayout("evil", images.escapingLayer("evil", hello), Images.OCI_LAYER_TAR_GZIP),
        "bad/evil:v1", Format.OCI);
    assertDeployRefused(engine, dataDir, deployBody("evil", image.ref(), true, null),
        422, "bad_image", "escapes the image root");
  }

  @Test
  void a_layer_with_a_link_is_refused() {
    Pushed image = images.push(images.imageLayout("link", images.linkLayer("link", hello), Images.OCI_LAYER_TAR_GZIP),
        "bad/link:v1", Format.OCI);
    assertDeployRefused(engine, dataDir, deployBody("link", image.ref(), true, null), 422, "bad_image", "link");
  }

  @Test
  void an_image_of_two_layers_is_refused() {
    Path module = images.tarGz("layer-one", Images.orderedMap("fn.wasm", hello));
    Path other = images.tarGz("layer-two", Images.orderedMap("README", "a second layer".getBytes(StandardCharsets.UTF_8)));
    Pushed image = images.push(images.imageLayout("two-layers", List.of(module, other), Images.OCI_LAYER_TAR_GZIP),
        "bad/two-layers:v1", Format.OCI);
    assertDeployRefused(engine, dataDir, deployBody("two-layers", image.ref(), true, null), 422, "bad_image", "layers");
  }

  @Test
  void a_layer_with_two_modules_is_refused() {
    Path layer = images.tarGz("two", Images.orderedMap("a.wasm", hello, "lib/b.wasm", addOne));
    Pushed image = images.push(images.imageLayout("two", layer, Images.OCI_LAYER_TAR_GZIP), "bad/two:v1", Format.OCI);
    assertDeployRefused(engine, dataDir, deployBody("two", image.ref(), true, null), 422, "bad_image", "2 .wasm files");
  }

  @Test
  void a_layer_without_a_module_is_refused() {
    Path layer = images.tarGz("none", Images.orderedMap("README", "no module here".getBytes(StandardCharsets.UTF_8)));
    Pushed image = images.push(images.imageLayout("none", layer, Images.OCI_LAYER_TAR_GZIP), "bad/none:v1", Format.OCI);
    assertDeployRefused(engine, dataDir, deployBody("none", image.ref(), true, null), 422, "bad_image", "no .wasm file");
  }

  @Test
  void a_layer_of_an_unsupported_media_type_is_refused() {
    Pushed image = images.push(images.artifactLayout("unknown", hello, "application/x-unknown"), "bad/unknown:v1", Format.OCI);
    assertTrue(new String(images.rawManifest("bad/unknown:v1"), StandardCharsets.UTF_8).contains("application/x-unknown"));
    assertDeployRefused(engine, dataDir, deployBody("unknown", image.ref(), true, null),
        422, "bad_image", "unsupported layer media type");
  }

  @Test
  void an_index_without_a_wasm_platform_is_refused() {
    Path linux = images.tarGz("linux-only", Images.orderedMap("bin/app", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
    Path layout = images.indexLayout("linux-only", List.of(
        new Images.PlatformImage("linux", "amd64", linux, Images.OCI_LAYER_TAR_GZIP)));
    Pushed index = images.pushIndex(layout, "bad/linux-only:v1");
    assertEquals(null, index.manifestDigest(), "the index has no wasip1/wasm entry");
    assertDeployRefused(engine, dataDir, deployBody("linux-only", registry.ref("bad/linux-only:v1"), true, null),
        422, "bad_image", "no entry for wasip1/wasm");
  }

  @Test
  void a_registry_that_is_down_is_unavailable() {
    String down = "127.0.0.1:" + RegistryServer.freePort();
    assertDeployRefused(engine, dataDir, deployBody("gcd", down + "/fns/gcd:v1", false, null),
        502, "registry_unavailable", "unreachable");
  }

  // ---- dedup ----

  @Test
  void a_layer_shared_by_two_functions_is_fetched_once() {
    // A layer no other test pushes: hello at a path of its own.
    Path layer = images.tarGz("shared", Images.orderedMap("shared/hello.wasm", hello));
    Pushed image = images.push(images.imageLayout("shared", layer, Images.OCI_LAYER_TAR_GZIP), "shared/hello:v1", Format.OCI);
    String layerGets = "/v2/shared/hello/blobs/" + image.layerDigest();
    assertEquals(0, registry.countRequests("GET", layerGets));
    try {
      JsonObject first = deployed(engine, deployBody("shared-a", image.ref(), null, null));
      JsonObject second = deployed(engine, deployBody("shared-b", image.ref(), null, null));
      assertEquals(first.getString("digest"), second.getString("digest"));
      assertEquals(image.manifestDigest(), second.getString("image_digest"));
      assertEquals(1, registry.countRequests("GET", layerGets), "the layer blob was downloaded once: " + registry.requests());
      assertTrue(registry.countRequests("GET", "/v2/shared/hello/manifests/v1") >= 2, "each deploy resolved the tag");
      assertAnswersLike(engine, "shared-a", "hello");
      assertAnswersLike(engine, "shared-b", "hello");
    } finally {
      deleteQuietly("shared-a");
      deleteQuietly("shared-b");
    }
  }

  // ---- update ----

  @Test
  void an_update_swaps_the_module_and_new_calls_use_the_new_one() {
    Pushed helloImage = images.pushExample("hello", "image", "upd/hello:v1", Format.OCI);
    Pushed addOneImage = images.pushExample("add_one", "image", "upd/add_one:v1", Format.OCI);
    deployed(engine, deployBody("greeter", helloImage.ref(), null, null));
    try {
      assertAnswersLike(engine, "greeter", "hello");
      HttpResponse<Buffer> response = engine.post("/function/update", deployBody("greeter", addOneImage.ref(), null, null));
      assertEquals(200, response.statusCode(), response.bodyAsString());
      JsonObject record = response.bodyAsJsonObject();
      assertEquals("greeter", record.getString("function_name"));
      assertEquals(addOneImage.ref(), record.getString("function_image"));
      assertEquals(addOneImage.manifestDigest(), record.getString("image_digest"));
      assertEquals(Images.digest(addOne), record.getString("digest"));
      assertAnswersLike(engine, "greeter", "add_one");
      assertEquals(addOneImage.manifestDigest(), query(engine, "greeter").getString("image_digest"));
    } finally {
      delete(engine, "greeter");
    }
  }

  @Test
  void a_failed_update_answers_its_error_and_the_old_function_keeps_serving() throws IOException {
    Pushed helloImage = images.pushExample("hello", "image", "upd/hello:v1", Format.OCI);
    deployed(engine, deployBody("steady", helloImage.ref(), null, null));
    try {
      Path recordFile = dataDir.resolve("functions/steady.json");
      byte[] recordBefore = Files.readAllBytes(recordFile);
      HttpResponse<Buffer> response = engine.post("/function/update",
          deployBody("steady", registry.ref("upd/hello:no-such-tag"), null, null));
      assertError(response, 404, "not_found", "not found");
      assertAnswersLike(engine, "steady", "hello");
      assertEquals(helloImage.manifestDigest(), query(engine, "steady").getString("image_digest"));
      assertArrayEquals(recordBefore, Files.readAllBytes(recordFile), "the record did not change");
      assertTrue(RegistryTestSupport.entries(dataDir.resolve("tmp")).isEmpty());
    } finally {
      delete(engine, "steady");
    }
  }

  @Test
  void updating_an_unknown_function_is_not_found() {
    Pushed helloImage = images.pushExample("hello", "image", "upd/hello:v1", Format.OCI);
    HttpResponse<Buffer> response = engine.post("/function/update", deployBody("nobody-here", helloImage.ref(), null, null));
    assertError(response, 404, "not_found", "nobody-here");
    assertFalse(Files.exists(dataDir.resolve("functions/nobody-here.json")));
  }

  private void deleteQuietly(String name) {
    engine.post("/function/delete", new JsonObject().put("function_name", name));
  }
}
