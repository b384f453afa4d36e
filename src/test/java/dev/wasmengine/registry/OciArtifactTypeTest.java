package dev.wasmengine.registry;

import static dev.wasmengine.registry.RegistryTestSupport.assertAnswersLike;
import static dev.wasmengine.registry.RegistryTestSupport.delete;
import static dev.wasmengine.registry.RegistryTestSupport.deployBody;
import static dev.wasmengine.registry.RegistryTestSupport.deployed;
import static dev.wasmengine.registry.RegistryTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Images;
import dev.wasmengine.testing.Images.Format;
import dev.wasmengine.testing.Images.Pushed;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RegistryServer;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI 1.1 artifacts: a manifest with {@code artifactType}, the OCI empty descriptor as config
 * ({@code {}}) and one {@code application/wasm} layer that is the raw module, the shape
 * {@code oras push --artifact-type} writes. Pushed to a real docker-registry once by skopeo from
 * an OCI layout built here, once through the Distribution API directly with manifest bytes of our
 * choosing; deployed through the REST API (hello, a WASI command, so wasi_cap is detected) and
 * invoked. The record's image_digest is the sha256 of exactly the manifest bytes pushed.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciArtifactTypeTest {
  static final String ARTIFACT_TYPE = "application/vnd.wasm.module.v1+wasm";
  static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  static final byte[] EMPTY_CONFIG_CONTENT = "{}".getBytes(StandardCharsets.UTF_8);
  static final String EMPTY_CONFIG_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  Path work;
  RegistryServer registry;
  Images images;
  RunningEngine engine;
  HttpClient http;
  final byte[] hello = Modules.bytes(Modules.example("hello"));

  @BeforeAll
  void startRegistryAndEngine(Vertx vertx, @TempDir Path work) {
    this.work = work;
    registry = RegistryServer.plain(work);
    images = Images.forRegistry(work, registry);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    engine = RegistryTestSupport.startEngine(vertx, work.resolve("engine"), RegistryTestSupport.registrySection());
  }

  @AfterAll
  void stopEverything() {
    RegistryTestSupport.closeAll(engine, http, registry);
  }

  @Test
  void the_empty_descriptor_is_the_sha256_of_two_bytes() {
    assertEquals(EMPTY_CONFIG_DIGEST, Images.digest(EMPTY_CONFIG_CONTENT));
  }

  @Test
  void an_artifact_with_an_artifact_type_and_the_empty_config_pushed_by_skopeo_deploys_and_answers() {
    byte[] manifest = artifactManifest(hello).encode().getBytes(StandardCharsets.UTF_8);
    Path layout = artifactLayout("artifact-type", manifest, hello);
    Pushed image = images.push(layout, "artifacts/hello:v1", Format.OCI);
    assertArrayEquals(manifest, images.rawManifest("artifacts/hello:v1"), "skopeo pushed the manifest as it is");
    assertEquals(Images.digest(manifest), image.manifestDigest());

    JsonObject record = deployed(engine, deployBody("artifact-hello", image.ref(), null, null));
    try {
      assertEquals(image.ref(), record.getString("function_image"));
      assertEquals(Images.digest(manifest), record.getString("image_digest"), "the digest of the manifest bytes pushed");
      assertEquals(Images.digest(hello), record.getString("layer_digest"));
      assertEquals(Images.digest(hello), record.getString("digest"));
      assertEquals(hello.length, record.getLong("module_size"));
      assertEquals(Boolean.TRUE, record.getBoolean("wasi_cap"), "detected from the module");
      assertAnswersLike(engine, "artifact-hello", "hello");
      assertEquals(Images.digest(manifest), query(engine, "artifact-hello").getString("image_digest"));
    } finally {
      delete(engine, "artifact-hello");
    }
  }

  @Test
  void an_artifact_pushed_through_the_distribution_api_is_recorded_with_the_digest_of_its_exact_bytes() {
    // A module of its own, so its layer is downloaded here and not found in the store.
    byte[] module = Images.withCustomSection(hello, "test-nonce", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    // Pretty-printed, with the empty descriptor's data field and annotations: re-encoding it would change its digest.
    byte[] manifest = """
        {
          "schemaVersion": 2,
          "mediaType": "%s",
          "artifactType": "%s",
          "config": {
            "mediaType": "%s",
            "digest": "%s",
            "size": 2,
            "data": "e30="
          },
          "layers": [
            {
              "mediaType": "application/wasm",
              "digest": "%s",
              "size": %d,
              "annotations": {"org.opencontainers.image.title": "hello.wasm"}
            }
          ],
          "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"}
        }
        """.formatted(Images.OCI_MANIFEST, ARTIFACT_TYPE, EMPTY_CONFIG, EMPTY_CONFIG_DIGEST, Images.digest(module),
            module.length).getBytes(StandardCharsets.UTF_8);
    assertEquals(ARTIFACT_TYPE, new JsonObject(new String(manifest, StandardCharsets.UTF_8)).getString("artifactType"));
    String repository = "artifacts/api-hello";
    pushBlob(repository, EMPTY_CONFIG_CONTENT);
    pushBlob(repository, module);
    String stored = pushManifest(repository, "v1", manifest);
    assertEquals(Images.digest(manifest), stored, "the registry digests the bytes as sent");
    assertArrayEquals(manifest, images.rawManifest(repository + ":v1"), "the registry serves the bytes as sent");

    JsonObject byTag = deployed(engine, deployBody("api-hello", registry.ref(repository + ":v1"), null, null));
    String digestRef = registry.ref(repository) + "@" + Images.digest(manifest);
    try {
      assertEquals(Images.digest(manifest), byTag.getString("image_digest"));
      assertEquals(Images.digest(module), byTag.getString("layer_digest"));
      assertEquals(Images.digest(module), byTag.getString("digest"));
      assertEquals(Boolean.TRUE, byTag.getBoolean("wasi_cap"));
      assertAnswersLike(engine, "api-hello", "hello");

      JsonObject byDigest = deployed(engine, deployBody("api-hello-pinned", digestRef, null, null));
      assertEquals(digestRef, byDigest.getString("function_image"));
      assertEquals(Images.digest(manifest), byDigest.getString("image_digest"));
      assertAnswersLike(engine, "api-hello-pinned", "hello");
      assertEquals(Images.digest(manifest), query(engine, "api-hello-pinned").getString("image_digest"));
    } finally {
      engine.post("/function/delete", new JsonObject().put("function_name", "api-hello-pinned"));
      delete(engine, "api-hello");
    }
    assertTrue(registry.countRequests("GET", "/v2/" + repository + "/blobs/" + Images.digest(module)) >= 1,
        "the layer came from the registry");
  }

  // ---- building and pushing ----

  /** The manifest {@code oras push --artifact-type} writes for one raw module. */
  static JsonObject artifactManifest(byte[] module) {
    return new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", Images.OCI_MANIFEST)
        .put("artifactType", ARTIFACT_TYPE)
        .put("config", new JsonObject().put("mediaType", EMPTY_CONFIG).put("digest", EMPTY_CONFIG_DIGEST)
            .put("size", EMPTY_CONFIG_CONTENT.length))
        .put("layers", new JsonArray().add(new JsonObject().put("mediaType", Images.WASM_LAYER)
            .put("digest", Images.digest(module)).put("size", module.length)));
  }

  /** An OCI image layout whose tag v1 names {@code manifest}, with the empty config and the module as blobs. */
  Path artifactLayout(String name, byte[] manifest, byte[] module) {
    Path dir = work.resolve("layout-" + name);
    writeBlob(dir, EMPTY_CONFIG_CONTENT);
    writeBlob(dir, module);
    writeBlob(dir, manifest);
    JsonObject index = new JsonObject()
        .put("schemaVersion", 2)
        .put("mediaType", Images.OCI_INDEX)
        .put("manifests", new JsonArray().add(new JsonObject()
            .put("mediaType", Images.OCI_MANIFEST)
            .put("artifactType", ARTIFACT_TYPE)
            .put("digest", Images.digest(manifest))
            .put("size", manifest.length)
            .put("annotations", new JsonObject().put("org.opencontainers.image.ref.name", Images.TAG))));
    try {
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      Files.writeString(dir.resolve("index.json"), index.encode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static void writeBlob(Path layout, byte[] content) {
    Path file = layout.resolve("blobs/sha256").resolve(Images.digest(content).substring("sha256:".length()));
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A monolithic blob upload: POST to start it, PUT the bytes with their digest. */
  private void pushBlob(String repository, byte[] content) {
    URI start = URI.create(registry.baseUrl() + "/v2/" + repository + "/blobs/uploads/");
    HttpResponse<String> started = send(HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(202, started.statusCode(), "starting an upload: " + started.body());
    String location = started.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no upload Location"));
    URI upload = start.resolve(location);
    URI complete = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest=" + Images.digest(content));
    HttpResponse<String> put = send(HttpRequest.newBuilder(complete)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    assertEquals(201, put.statusCode(), "completing an upload: " + put.body());
  }

  /** PUTs {@code manifest} under {@code tag}; answers the digest the registry gave it. */
  private String pushManifest(String repository, String tag, byte[] manifest) {
    URI uri = URI.create(registry.baseUrl() + "/v2/" + repository + "/manifests/" + tag);
    HttpResponse<String> put = send(HttpRequest.newBuilder(uri)
        .header("Content-Type", Images.OCI_MANIFEST)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    assertEquals(201, put.statusCode(), "pushing the manifest: " + put.body());
    return put.headers().firstValue("Docker-Content-Digest").orElseThrow(() -> new AssertionError("no Docker-Content-Digest"));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
