package dev.wasmengine.registry;

import static dev.wasmengine.registry.RegistryTestSupport.assertAnswersLike;
import static dev.wasmengine.registry.RegistryTestSupport.assertDeployRefused;
import static dev.wasmengine.registry.RegistryTestSupport.deployBody;
import static dev.wasmengine.registry.RegistryTestSupport.deployed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Certificates;
import dev.wasmengine.testing.Images;
import dev.wasmengine.testing.Images.Format;
import dev.wasmengine.testing.Images.Pushed;
import dev.wasmengine.testing.RegistryServer;
import dev.wasmengine.testing.RunningEngine;
import dev.wasmengine.testing.TokenServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulling from registries that want something: HTTP basic credentials (htpasswd, bcrypt) from
 * the engine config or a docker config.json, bearer tokens from a token server (RS256 JWTs signed
 * here with JDK crypto), and TLS with a private CA. All real: docker-registry, openssl, skopeo.
 * Each test starts an engine with the config it is about.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAuthTest {
  static final String USER = "alice";
  static final String PASSWORD = "s3cret-basic-7d1f";
  static final String WRONG_PASSWORD = "wrong-password-c0ffee";
  static final String TOKEN_USER = "bob";
  static final String TOKEN_PASSWORD = "s3cret-token-41aa";

  final AtomicInteger engines = new AtomicInteger();
  Path work;
  RegistryServer basic;
  Pushed basicImage;
  TokenServer tokens;
  RegistryServer tokenRegistry;
  Pushed tokenImage;
  Certificates.ServerTls tls;
  RegistryServer tlsRegistry;
  RegistryServer.TcpFront tlsFront;
  Pushed tlsImage;

  @BeforeAll
  void startRegistries(Vertx vertx, @TempDir Path work) {
    this.work = work;
    try {
      basic = RegistryServer.basicAuth(work, USER, PASSWORD);
      basicImage = Images.forRegistry(work, basic).withCredentials(USER, PASSWORD)
          .pushExample("hello", "image", "private/hello:v1", Format.OCI);

      Certificates.SigningKey signing = Certificates.tokenSigning(work.resolve("token-keys"));
      tokens = TokenServer.start(vertx, signing, "wasmengine-test-issuer", "wasmengine-test-registry",
          TOKEN_USER, TOKEN_PASSWORD);
      tokenRegistry = RegistryServer.tokenAuth(work, tokens.realm(), tokens.service(), tokens.issuer(), signing.cert());
      tokenImage = Images.forRegistry(work, tokenRegistry).withCredentials(TOKEN_USER, TOKEN_PASSWORD)
          .pushExample("add_one", "artifact", "tok/add_one:v1", Format.OCI);

      tls = Certificates.serverTls(work.resolve("tls"));
      tlsRegistry = RegistryServer.tls(work, tls);
      tlsImage = Images.forRegistry(work, tlsRegistry).pushExample("hello", "artifact", "secure/hello:v1", Format.OCI);
      tlsFront = tlsRegistry.front();
    } catch (RuntimeException | Error e) {
      stopRegistries();
      throw e;
    }
  }

  @AfterAll
  void stopRegistries() {
    RegistryTestSupport.closeAll(tlsFront, tlsRegistry, tokenRegistry, tokens, basic);
  }

  /** An engine whose registry section is {@code section} plus a docker config that does not exist. */
  RunningEngine engine(Vertx vertx, JsonObject section) {
    if (!section.containsKey("docker_config")) {
      section.put("docker_config", work.resolve("no-docker-config.json").toString());
    }
    return RegistryTestSupport.startEngine(vertx, work.resolve("engine-" + engines.incrementAndGet()), section);
  }

  static JsonObject credentials(String host, String user, String password) {
    return new JsonObject().put(host, new JsonObject().put("username", user).put("password", password));
  }

  static Path dataDir(RunningEngine engine) {
    return engine.config().dataDir();
  }

  // ---- basic auth ----

  @Test
  void basic_credentials_from_the_engine_config_are_accepted(Vertx vertx) {
    JsonObject section = RegistryTestSupport.registrySection().put("credentials", credentials(basic.host(), USER, PASSWORD));
    try (RunningEngine engine = engine(vertx, section)) {
      JsonObject record = deployed(engine, deployBody("private-hello", basicImage.ref(), null, null));
      assertEquals(basicImage.manifestDigest(), record.getString("image_digest"));
      assertAnswersLike(engine, "private-hello", "hello");
    }
  }

  @Test
  void basic_credentials_from_a_docker_config_json_are_accepted(Vertx vertx) throws IOException {
    Path dockerConfig = work.resolve("docker-config-" + engines.get() + ".json");
    String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(dockerConfig, new JsonObject()
        .put("auths", new JsonObject().put(basic.host(), new JsonObject().put("auth", auth))).encodePrettily());
    JsonObject section = RegistryTestSupport.registrySection().put("docker_config", dockerConfig.toString());
    try (RunningEngine engine = engine(vertx, section)) {
      JsonObject record = deployed(engine, deployBody("docker-config-hello", basicImage.ref(), null, null));
      assertEquals(basicImage.manifestDigest(), record.getString("image_digest"));
      assertAnswersLike(engine, "docker-config-hello", "hello");
    }
  }

  @Test
  void a_wrong_password_is_unauthorized_and_the_answer_never_shows_it(Vertx vertx) {
    JsonObject section = RegistryTestSupport.registrySection()
        .put("credentials", credentials(basic.host(), USER, WRONG_PASSWORD));
    try (RunningEngine engine = engine(vertx, section)) {
      JsonObject answer = assertDeployRefused(engine, dataDir(engine),
          deployBody("private-hello", basicImage.ref(), null, null), 401, "unauthorized", "denied");
      assertFalse(answer.encode().contains(WRONG_PASSWORD), "the password leaked: " + answer);
      assertFalse(answer.encode().contains(Base64.getEncoder().encodeToString(
          (USER + ":" + WRONG_PASSWORD).getBytes(StandardCharsets.UTF_8))), "the credentials leaked: " + answer);
    }
  }

  @Test
  void no_credentials_are_unauthorized(Vertx vertx) {
    try (RunningEngine engine = engine(vertx, RegistryTestSupport.registrySection())) {
      assertDeployRefused(engine, dataDir(engine), deployBody("private-hello", basicImage.ref(), null, null),
          401, "unauthorized", "denied");
    }
  }

  // ---- token auth ----

  @Test
  void token_auth_deploys_and_a_second_pull_within_the_token_lifetime_asks_for_no_new_token(Vertx vertx) {
    JsonObject section = RegistryTestSupport.registrySection()
        .put("credentials", credentials(tokenRegistry.host(), TOKEN_USER, TOKEN_PASSWORD));
    try (RunningEngine engine = engine(vertx, section)) {
      int before = tokens.tokenRequests();
      JsonObject first = deployed(engine, deployBody("token-a", tokenImage.ref(), null, null));
      assertEquals(tokenImage.manifestDigest(), first.getString("image_digest"));
      int afterFirst = tokens.tokenRequests();
      assertTrue(afterFirst > before, "the engine asked the token server");
      assertTrue(tokens.scopesAsked().contains("repository:tok/add_one:pull"), "asked for pull: " + tokens.scopesAsked());
      assertAnswersLike(engine, "token-a", "add_one");

      JsonObject second = deployed(engine, deployBody("token-b", tokenImage.ref(), null, null));
      assertEquals(tokenImage.manifestDigest(), second.getString("image_digest"));
      assertEquals(afterFirst, tokens.tokenRequests(), "the cached token was used");
      assertAnswersLike(engine, "token-b", "add_one");
    }
  }

  @Test
  void token_auth_with_a_wrong_password_is_unauthorized_and_never_shows_it(Vertx vertx) {
    JsonObject section = RegistryTestSupport.registrySection()
        .put("credentials", credentials(tokenRegistry.host(), TOKEN_USER, WRONG_PASSWORD));
    try (RunningEngine engine = engine(vertx, section)) {
      int before = tokens.tokenRequests();
      JsonObject answer = assertDeployRefused(engine, dataDir(engine),
          deployBody("token-refused", tokenImage.ref(), null, null), 401, "unauthorized", "denied");
      assertFalse(answer.encode().contains(WRONG_PASSWORD), "the password leaked: " + answer);
      assertTrue(tokens.tokenRequests() > before, "the token server was asked");
    }
  }

  // ---- TLS ----

  @Test
  void a_tls_registry_signed_by_the_configured_ca_is_pulled_over_https_only(Vertx vertx) {
    JsonObject section = RegistryTestSupport.registrySection().put("ca_file", tls.caCert().toString());
    String reference = tlsFront.host() + "/secure/hello:v1";
    int manifestsBefore = tlsRegistry.countRequests("GET", "/v2/secure/hello/manifests/.*");
    long handshakeErrorsBefore = handshakeErrors();
    try (RunningEngine engine = engine(vertx, section)) {
      JsonObject record = deployed(engine, deployBody("secure-hello", reference, null, null));
      assertEquals(tlsImage.manifestDigest(), record.getString("image_digest"));
      assertAnswersLike(engine, "secure-hello", "hello");
    }
    assertTrue(tlsRegistry.countRequests("GET", "/v2/secure/hello/manifests/.*") > manifestsBefore,
        "the registry served the manifest: " + tlsRegistry.requests());
    assertTrue(tlsRegistry.countRequests("GET", "/v2/secure/hello/blobs/" + tlsImage.layerDigest()) >= 1,
        "the registry served the module");
    assertTrue(tlsFront.tlsConnections() >= 1, "the engine spoke TLS");
    assertEquals(0, tlsFront.plainConnections(), "the engine never tried plain http");
    assertEquals(handshakeErrorsBefore, handshakeErrors(), "every handshake succeeded:\n" + tlsRegistry.output());
  }

  long handshakeErrors() {
    tlsRegistry.sync();
    return tlsRegistry.output().lines().filter(line -> line.contains("TLS handshake error")).count();
  }

  @Test
  void a_tls_registry_with_an_untrusted_certificate_is_unavailable_and_says_certificate(Vertx vertx) {
    try (RunningEngine engine = engine(vertx, RegistryTestSupport.registrySection())) {
      assertDeployRefused(engine, dataDir(engine), deployBody("untrusted-hello", tlsImage.ref(), null, null),
          502, "registry_unavailable", "certificate");
    }
  }
}
