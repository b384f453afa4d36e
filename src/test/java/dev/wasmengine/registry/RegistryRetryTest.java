package dev.wasmengine.registry;

import static dev.wasmengine.registry.RegistryTestSupport.assertAnswersLike;
import static dev.wasmengine.registry.RegistryTestSupport.assertDeployRefused;
import static dev.wasmengine.registry.RegistryTestSupport.deployBody;
import static dev.wasmengine.registry.RegistryTestSupport.deployed;
import static dev.wasmengine.registry.RegistryTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.Images;
import dev.wasmengine.testing.Images.Format;
import dev.wasmengine.testing.Images.Pushed;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RegistryServer;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded retries against a registry that fails for a while: a real docker-registry behind a
 * forwarding proxy written here (Vert.x server and client) that answers the first requests of a
 * path with 503, or drops their connection, and counts everything it sees. The engine is
 * configured with {@code "retries": 2}: each request to a registry is tried at most three times.
 * Every test pushes a module of its own (a unique custom section), so no layer is already held.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryRetryTest {
  static final int RETRIES = 2;

  Path dataDir;
  RegistryServer registry;
  FlakyProxy proxy;
  Images images;
  RunningEngine engine;
  final byte[] hello = Modules.bytes(Modules.example("hello"));

  @BeforeAll
  void startRegistryProxyAndEngine(Vertx vertx, @TempDir Path work) {
    registry = RegistryServer.plain(work);
    images = Images.forRegistry(work, registry);
    proxy = FlakyProxy.start(vertx, registry);
    JsonObject section = RegistryTestSupport.registrySection()
        .put("retries", RETRIES)
        .put("insecure", new JsonArray().add(proxy.host()));
    engine = RegistryTestSupport.startEngine(vertx, work.resolve("engine"), section);
    dataDir = work.resolve("engine/data");
  }

  @AfterAll
  void stopEverything() {
    RegistryTestSupport.closeAll(engine, proxy, registry);
  }

  @BeforeEach
  void forgetEarlierFaults() {
    proxy.reset();
  }

  /** hello with a custom section of its own, pushed straight to the registry as a Wasm artifact. */
  Pushed pushUniqueHello(String repository) {
    byte[] module = Images.withCustomSection(hello, "test-nonce", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    Pushed pushed = images.push(images.artifactLayout(repository.replace('/', '-'), module, Images.WASM_LAYER),
        repository + ":v1", Format.OCI);
    assertEquals(Images.digest(module), pushed.layerDigest(), "the layer is the raw module");
    return pushed;
  }

  /** The same image, named through the proxy. */
  String viaProxy(Pushed image) {
    return image.ref().replace(registry.host(), proxy.host());
  }

  static String manifests(String repository) {
    return "/v2/" + repository + "/manifests/.*";
  }

  static String blob(String repository, Pushed image) {
    return "/v2/" + repository + "/blobs/" + Pattern.quote(image.layerDigest());
  }

  @Test
  void two_503_answers_on_the_manifest_are_retried_and_the_deploy_succeeds() {
    String repository = "retry/manifest-twice";
    Pushed image = pushUniqueHello(repository);
    proxy.failNext(2, manifests(repository), Fault.ANSWER_503);
    String reference = viaProxy(image);
    JsonObject record = deployed(engine, deployBody("manifest-twice", reference, null, null));
    assertEquals(reference, record.getString("function_image"));
    assertEquals(image.manifestDigest(), record.getString("image_digest"));
    assertEquals(image.layerDigest(), record.getString("digest"));
    assertEquals(3, proxy.countRequests("GET", manifests(repository)),
        "two 503s and the answer that counted: " + proxy.requests());
    assertEquals(1, proxy.countRequests("GET", blob(repository, image)), proxy.requests().toString());
    assertAnswersLike(engine, "manifest-twice", "hello");
    assertEquals(image.manifestDigest(), query(engine, "manifest-twice").getString("image_digest"));
  }

  @Test
  void more_503_answers_than_retries_make_the_registry_unavailable_and_store_nothing() {
    String repository = "retry/manifest-thrice";
    Pushed image = pushUniqueHello(repository);
    proxy.failNext(RETRIES + 1, manifests(repository), Fault.ANSWER_503);
    JsonObject answer = assertDeployRefused(engine, dataDir, deployBody("manifest-thrice", viaProxy(image), null, null),
        502, "registry_unavailable", "503");
    assertTrue(answer.getString("message").contains(proxy.host()), "names the registry: " + answer.encode());
    assertEquals(RETRIES + 1, proxy.countRequests("GET", manifests(repository)),
        "one attempt and " + RETRIES + " retries, no more: " + proxy.requests());
    assertEquals(0, proxy.countRequests("GET", "/v2/" + repository + "/blobs/.*"), "no blob without a manifest");
  }

  @Test
  void two_dropped_connections_on_the_blob_are_retried_and_the_deploy_succeeds() {
    String repository = "retry/blob-dropped";
    Pushed image = pushUniqueHello(repository);
    proxy.failNext(2, blob(repository, image), Fault.CLOSE_CONNECTION);
    JsonObject record = deployed(engine, deployBody("blob-dropped", viaProxy(image), null, null));
    assertEquals(image.manifestDigest(), record.getString("image_digest"));
    assertEquals(image.layerDigest(), record.getString("layer_digest"));
    assertEquals(image.layerDigest(), record.getString("digest"), "the module arrived whole");
    assertEquals(3, proxy.countRequests("GET", blob(repository, image)),
        "two dropped connections and the download: " + proxy.requests());
    assertEquals(1, proxy.countRequests("GET", manifests(repository)), proxy.requests().toString());
    assertAnswersLike(engine, "blob-dropped", "hello");
    assertTrue(RegistryTestSupport.entries(dataDir.resolve("tmp")).isEmpty(), "no partial download left behind");
  }

  @Test
  void a_blob_cut_off_half_way_is_downloaded_again_from_the_start() {
    String repository = "retry/blob-cut";
    Pushed image = pushUniqueHello(repository);
    proxy.failNext(2, blob(repository, image), Fault.CUT_BODY_HALF_WAY);
    JsonObject record = deployed(engine, deployBody("blob-cut", viaProxy(image), null, null));
    assertEquals(image.layerDigest(), record.getString("digest"), "the module is the whole blob, not half of it twice");
    assertEquals(3, proxy.countRequests("GET", blob(repository, image)), proxy.requests().toString());
    assertAnswersLike(engine, "blob-cut", "hello");
    assertTrue(RegistryTestSupport.entries(dataDir.resolve("tmp")).isEmpty(), "no partial download left behind");
  }

  @Test
  void a_503_error_body_on_the_blob_does_not_end_up_in_the_module() {
    String repository = "retry/blob-503";
    Pushed image = pushUniqueHello(repository);
    proxy.failNext(2, blob(repository, image), Fault.ANSWER_503);
    JsonObject record = deployed(engine, deployBody("blob-503", viaProxy(image), null, null));
    assertEquals(image.layerDigest(), record.getString("digest"));
    assertEquals(3, proxy.countRequests("GET", blob(repository, image)), proxy.requests().toString());
    assertAnswersLike(engine, "blob-503", "hello");
  }

  @Test
  void a_blob_whose_connection_keeps_dropping_makes_the_registry_unavailable_and_stores_nothing() {
    String repository = "retry/blob-gone";
    Pushed image = pushUniqueHello(repository);
    proxy.failNext(RETRIES + 1, blob(repository, image), Fault.CLOSE_CONNECTION);
    assertDeployRefused(engine, dataDir, deployBody("blob-gone", viaProxy(image), null, null),
        502, "registry_unavailable", "unreachable");
    assertEquals(RETRIES + 1, proxy.countRequests("GET", blob(repository, image)), proxy.requests().toString());
  }

  @Test
  void each_request_has_its_own_retries() {
    String repository = "retry/both";
    Pushed image = pushUniqueHello(repository);
    proxy.failNext(RETRIES, manifests(repository), Fault.ANSWER_503);
    proxy.failNext(RETRIES, blob(repository, image), Fault.CLOSE_CONNECTION);
    JsonObject record = deployed(engine, deployBody("both", viaProxy(image), null, null));
    assertEquals(image.layerDigest(), record.getString("digest"));
    assertEquals(RETRIES + 1, proxy.countRequests("GET", manifests(repository)), proxy.requests().toString());
    assertEquals(RETRIES + 1, proxy.countRequests("GET", blob(repository, image)), proxy.requests().toString());
    assertAnswersLike(engine, "both", "hello");
  }

  @Test
  void a_not_found_answer_is_not_retried() {
    String repository = "retry/missing";
    pushUniqueHello(repository);
    assertDeployRefused(engine, dataDir, deployBody("missing", proxy.host() + "/" + repository + ":no-such-tag", null, null),
        404, "not_found", "not found");
    assertEquals(1, proxy.countRequests("GET", manifests(repository)), proxy.requests().toString());
  }

  // ---- the proxy ----

  /** What the proxy does instead of forwarding. */
  enum Fault {
    /** Answers 503 with a registry-style error body. */
    ANSWER_503,
    /** Closes the connection without answering. */
    CLOSE_CONNECTION,
    /** Forwards the status, headers and the first half of the body, then closes the connection. */
    CUT_BODY_HALF_WAY
  }

  /**
   * A forwarding HTTP proxy on a free loopback port in front of a registry: every request goes
   * to the registry with its method, path, query, end-to-end headers and body, and the answer
   * comes back the same way (bodies are buffered; test images are small). The first N requests
   * whose path matches a rule get a {@link Fault} instead. Every request is recorded.
   */
  static final class FlakyProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    private record Rule(Pattern path, Fault fault, int[] remaining) {}

    private final RegistryServer target;
    private final HttpServer server;
    private final HttpClientAgent client;
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();

    private FlakyProxy(Vertx vertx, RegistryServer target) {
      this.target = target;
      this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
      this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(this::handle);
    }

    static FlakyProxy start(Vertx vertx, RegistryServer target) {
      FlakyProxy proxy = new FlakyProxy(vertx, target);
      Await.result(proxy.server.listen());
      return proxy;
    }

    String host() {
      return "127.0.0.1:" + server.actualPort();
    }

    /** The next {@code times} requests whose path matches {@code pathRegex} get {@code fault}. */
    synchronized void failNext(int times, String pathRegex, Fault fault) {
      rules.add(new Rule(Pattern.compile(pathRegex), fault, new int[] {times}));
    }

    /** Requests so far with {@code method} on a path (no query) matching {@code pathRegex}, faulted ones included. */
    synchronized int countRequests(String method, String pathRegex) {
      Pattern path = Pattern.compile(pathRegex);
      int count = 0;
      for (String line : seen) {
        int space = line.indexOf(' ');
        if (line.substring(0, space).equals(method) && path.matcher(line.substring(space + 1)).matches()) {
          count++;
        }
      }
      return count;
    }

    /** Every request so far, as "METHOD PATH". */
    synchronized List<String> requests() {
      return List.copyOf(seen);
    }

    /** Forgets rules and recorded requests. */
    synchronized void reset() {
      rules.clear();
      seen.clear();
    }

    @Override
    public void close() {
      try {
        Await.result(server.close());
      } finally {
        Await.result(client.close());
      }
    }

    private synchronized Fault record(HttpServerRequest request) {
      seen.add(request.method().name() + " " + request.path());
      for (Rule rule : rules) {
        if (rule.remaining()[0] > 0 && rule.path().matcher(request.path()).matches()) {
          rule.remaining()[0]--;
          return rule.fault();
        }
      }
      return null;
    }

    private void handle(HttpServerRequest request) {
      Fault fault = record(request);
      HttpServerResponse response = request.response();
      if (fault == Fault.ANSWER_503) {
        response.setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(new JsonObject().put("errors", new JsonArray().add(new JsonObject()
                .put("code", "UNAVAILABLE").put("message", "service unavailable (the test proxy says so)"))).encode());
        return;
      }
      if (fault == Fault.CLOSE_CONNECTION) {
        request.connection().close();
        return;
      }
      request.body()
          .compose(body -> forward(request, body))
          .onSuccess(answer -> answer.send(response, fault == Fault.CUT_BODY_HALF_WAY, request.connection()))
          .onFailure(failure -> {
            if (!response.ended()) {
              response.setStatusCode(502).end("the test proxy could not reach the registry: " + failure);
            }
          });
    }

    /** What the registry answered, held whole. */
    private record Answer(int status, MultiMap headers, Buffer body) {
      void send(HttpServerResponse response, boolean cutHalfWay, HttpConnection connection) {
        response.setStatusCode(status);
        copyHeaders(headers, response.headers());
        if (!cutHalfWay) {
          response.end(body);
          return;
        }
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        response.write(body.getBuffer(0, body.length() / 2)).onComplete(written -> connection.close());
      }
    }

    private Future<Answer> forward(HttpServerRequest request, Buffer body) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      copyHeaders(request.headers(), headers);
      RequestOptions options = new RequestOptions()
          .setServer(SocketAddress.inetSocketAddress(target.port(), "127.0.0.1"))
          .setHost("127.0.0.1")
          .setPort(server.actualPort())  // the Host the client named: the registry's URLs point back here
          .setMethod(HttpMethod.valueOf(request.method().name()))
          .setURI(request.uri())
          .setHeaders(headers);
      return client.request(options)
          .compose(outgoing -> outgoing.send(body))
          .compose((HttpClientResponse answer) -> answer.body()
              .map(content -> new Answer(answer.statusCode(), answer.headers(), content)));
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
      for (var header : from) {
        if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
          to.add(header.getKey(), header.getValue());
        }
      }
    }
  }
}
