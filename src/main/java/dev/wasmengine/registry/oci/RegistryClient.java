package dev.wasmengine.registry.oci;

import dev.wasmengine.config.RegistryConfig;
import dev.wasmengine.config.RegistryCredentials;
import dev.wasmengine.error.BadImageException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.error.RegistryUnavailableException;
import dev.wasmengine.error.UnauthorizedException;
import dev.wasmengine.runtime.ModuleDigest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * A client of the OCI Distribution API (v2) on Vert.x Web Client, non-blocking: manifests and
 * blobs of one repository, with the authentication dance (anonymous, then Basic or a Bearer
 * token from the challenge's realm, tokens cached until they expire), https by default,
 * redirects followed without carrying credentials to other hosts, bounded retries on 5xx and
 * dropped connections. Credentials and tokens never appear in messages or logs.
 */
public final class RegistryClient {
  private static final Logger LOG = Logger.getLogger(RegistryClient.class.getName());
  private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);
  private static final int MAX_REDIRECTS = 5;
  private static final long TOKEN_RESPONSE_LIMIT = 64 * 1024;
  /** Error bodies are written to a blob sink before the status is known; this much slack takes them. */
  private static final long ERROR_BODY_SLACK = 64 * 1024;
  private static final long DEFAULT_TOKEN_SECONDS = 60;
  private static final long PROGRESS_STEP = 16L * 1024 * 1024;

  /** A manifest or index as fetched: its bytes parsed, its media type, the digest of its bytes. */
  public record Manifest(JsonObject json, String mediaType, ModuleDigest digest) {}

  private record Token(String value, Instant expires) {}

  /** One logical request: which registry and repository scope, what path, how to take the body. */
  private record Call<S extends BodySink>(String registry, String apiHost, String scope, String path,
      String subject, String accept, Supplier<Future<S>> sinks) {}

  private record Exchange<S>(int status, MultiMap headers, S sink) {}

  private final Vertx vertx;
  private final WebClient web;
  private final RegistryConfig config;
  private final Credentials credentials;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  /** Registries that asked for Basic credentials: sent up front from then on. */
  private final Set<String> basicRegistries = ConcurrentHashMap.newKeySet();
  /** Loopback registries found to speak plain http (the original engine's fallback). */
  private final Set<String> plainHttpLoopback = ConcurrentHashMap.newKeySet();

  private RegistryClient(Vertx vertx, WebClient web, RegistryConfig config, Credentials credentials) {
    this.vertx = vertx;
    this.web = web;
    this.config = config;
    this.credentials = credentials;
  }

  /** Blocking (reads the CA file): call at start, off the event loop. */
  public static RegistryClient create(Vertx vertx, RegistryConfig config, Credentials credentials)
      throws IOException, GeneralSecurityException {
    WebClientOptions options = new WebClientOptions()
        .setFollowRedirects(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()))
        .setUserAgent("wasm-engine")
        .setVerifyHost(true);
    if (config.caFile().isPresent()) {
      options.setTrustOptions(TrustOptions.wrap(TrustStores.withExtraCertificates(config.caFile().get())));
    }
    return new RegistryClient(vertx, WebClient.create(vertx, options), config, credentials);
  }

  public void close() {
    web.close();
  }

  /** Fetches a manifest or index by the reference's digest or tag; a pinned digest is verified. */
  public Future<Manifest> manifest(ImageReference ref) {
    Call<BoundedBuffer> call = call(ref, "/manifests/" + ref.manifestReference(), "image " + ref, MediaTypes.MANIFEST_ACCEPT,
        () -> Future.succeededFuture(new BoundedBuffer(config.maxManifestBytes(), "manifest of " + ref)));
    return start(call).map(exchange -> {
      Buffer body = exchange.sink().collected();
      ModuleDigest digest = ModuleDigest.of(body.getBytes());
      Optional<ModuleDigest> expected = ref.digest().or(() -> headerDigest(exchange.headers()));
      if (expected.isPresent() && !expected.get().equals(digest)) {
        throw new BadImageException("manifest of " + ref + " does not match its digest " + expected.get()
            + " (it hashes to " + digest + ")");
      }
      String mediaType = Optional.ofNullable(exchange.headers().get("Content-Type")).orElse("")
          .split(";")[0].strip();
      return new Manifest(Manifests.json(body, "manifest of " + ref), mediaType, digest);
    });
  }

  /** Streams a blob into {@code target}, verifying size and sha256 on the way; fails on any mismatch. */
  public Future<Void> blob(ImageReference ref, Descriptor blob, Path target) {
    if (blob.size() > config.maxBlobBytes()) {
      return Future.failedFuture(new BadImageException("blob " + blob.digest() + " of " + ref + " is "
          + blob.size() + " bytes, over the limit of " + config.maxBlobBytes()));
    }
    long started = System.nanoTime();
    LongConsumer progress = progressLog(ref, blob);
    Call<DigestingFile> call = call(ref, "/blobs/" + blob.digest(), "blob " + blob.digest() + " of " + ref, "*/*",
        () -> vertx.fileSystem().open(target.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
            .map(file -> new DigestingFile(file, blob, blob.size() + ERROR_BODY_SLACK, progress)));
    return start(call).compose(exchange -> exchange.sink().verify()).onSuccess(done -> LOG.info(() ->
        "pulled " + ref + " layer " + blob.digest() + ": " + blob.size() + " bytes in "
            + (System.nanoTime() - started) / 1_000_000 + " ms"));
  }

  private static LongConsumer progressLog(ImageReference ref, Descriptor blob) {
    long[] nextReport = {PROGRESS_STEP};
    return written -> {
      if (written >= nextReport[0]) {
        nextReport[0] += PROGRESS_STEP;
        LOG.info(() -> "pulling " + ref + " layer " + blob.digest() + ": " + written + " of " + blob.size() + " bytes");
      }
    };
  }

  private <S extends BodySink> Call<S> call(ImageReference ref, String suffix, String subject, String accept,
      Supplier<Future<S>> sinks) {
    return new Call<>(ref.registry(), ref.apiHost(), "repository:" + ref.repository() + ":pull",
        "/v2/" + ref.repository() + suffix, subject, accept, sinks);
  }

  private <S extends BodySink> Future<Exchange<S>> start(Call<S> call) {
    return send(call, scheme(call) + "://" + call.apiHost() + call.path(), 0, 0, false);
  }

  private String scheme(Call<?> call) {
    boolean plain = config.insecure().contains(call.registry()) || config.insecure().contains(call.apiHost())
        || plainHttpLoopback.contains(call.apiHost());
    return plain ? "http" : "https";
  }

  private <S extends BodySink> Future<Exchange<S>> send(Call<S> call, String url, int retry, int redirects,
      boolean challenged) {
    return call.sinks().get().compose(sink -> {
      HttpRequest<Void> request = web.requestAbs(HttpMethod.GET, url)
          .timeout(config.requestTimeout().toMillis())
          .putHeader("Accept", call.accept())
          .as(BodyCodec.pipe(sink, true));
      authorization(call, url).ifPresent(value -> request.putHeader("Authorization", value));
      return request.send()
          .map(response -> new Exchange<>(response.statusCode(), response.headers(), sink))
          .onFailure(failed -> sink.abandon());
    }).transform(done -> done.succeeded()
        ? answered(call, url, done.result(), retry, redirects, challenged)
        : failedToConnect(call, url, done.cause(), retry, redirects, challenged));
  }

  private <S extends BodySink> Future<Exchange<S>> answered(Call<S> call, String url, Exchange<S> exchange,
      int retry, int redirects, boolean challenged) {
    int status = exchange.status();
    if (status == 200) {
      return Future.succeededFuture(exchange);
    }
    if (status == 401 && !challenged) {
      return authenticate(call, exchange.headers().get("WWW-Authenticate"))
          .compose(ready -> send(call, url, retry, redirects, true));
    }
    if (status == 401 || status == 403) {
      return Future.failedFuture(new UnauthorizedException("registry " + call.registry() + " denied access to "
          + call.scope().replace(":pull", "") + credentialsHint(call)));
    }
    if (status == 404) {
      return Future.failedFuture(new NotFoundException(call.subject() + " not found in registry " + call.registry()));
    }
    String location = exchange.headers().get("Location");
    if (status >= 300 && status < 400 && location != null && redirects < MAX_REDIRECTS) {
      return send(call, URI.create(url).resolve(location).toString(), retry, redirects + 1, challenged);
    }
    if (RETRYABLE.contains(status) && retry < config.retries()) {
      return later(retry).compose(waited -> send(call, url, retry + 1, redirects, challenged));
    }
    return Future.failedFuture(new RegistryUnavailableException("registry " + call.registry()
        + " is unreachable for " + call.subject() + ": it answered HTTP " + status));
  }

  private <S extends BodySink> Future<Exchange<S>> failedToConnect(Call<S> call, String url, Throwable failure,
      int retry, int redirects, boolean challenged) {
    if (failure instanceof EngineException engineFailure) {
      return Future.failedFuture(engineFailure);  // e.g. a body larger than allowed: not worth a retry
    }
    if (isCertificateProblem(failure)) {
      return Future.failedFuture(new RegistryUnavailableException("registry " + call.registry()
          + " is unreachable: its TLS certificate is not trusted (add its CA to registry.ca_file)"));
    }
    if (url.startsWith("https:") && isNotTls(failure) && isLoopback(call.apiHost())) {
      // A loopback registry that does not speak TLS: fall back to plain http as the original did.
      plainHttpLoopback.add(call.apiHost());
      return send(call, "http" + url.substring("https".length()), retry, redirects, challenged);
    }
    if (retry < config.retries()) {
      return later(retry).compose(waited -> send(call, url, retry + 1, redirects, challenged));
    }
    return Future.failedFuture(new RegistryUnavailableException("registry " + call.registry() + " is unreachable: "
        + describe(failure)));
  }

  private Optional<String> authorization(Call<?> call, String url) {
    if (!call.apiHost().equalsIgnoreCase(URI.create(url).getRawAuthority())) {
      return Optional.empty();  // redirected to another host (e.g. blob storage): no credentials there
    }
    Token token = tokens.get(tokenKey(call));
    if (token != null && token.expires().isAfter(Instant.now())) {
      return Optional.of("Bearer " + token.value());
    }
    if (basicRegistries.contains(call.registry())) {
      return credentials.forRegistry(call.registry()).map(RegistryClient::basic);
    }
    return Optional.empty();
  }

  /** Answers a 401 challenge: remembers Basic, or fetches a Bearer token from the realm. */
  private Future<Void> authenticate(Call<?> call, String header) {
    Optional<Challenge> challenge = Challenge.parse(header);
    Optional<RegistryCredentials> known = credentials.forRegistry(call.registry());
    if (challenge.isPresent() && challenge.get().isBasic()) {
      if (known.isEmpty()) {
        return Future.failedFuture(new UnauthorizedException("registry " + call.registry()
            + " denied anonymous access; no credentials are configured for it"));
      }
      basicRegistries.add(call.registry());
      return Future.succeededFuture();
    }
    if (challenge.isEmpty() || !challenge.get().isBearer() || challenge.get().parameter("realm").isEmpty()) {
      return Future.failedFuture(new UnauthorizedException("registry " + call.registry()
          + " denied access with an authentication challenge the engine does not support"));
    }
    return fetchToken(call, challenge.get(), known);
  }

  private Future<Void> fetchToken(Call<?> call, Challenge challenge, Optional<RegistryCredentials> known) {
    StringBuilder url = new StringBuilder(challenge.parameter("realm").orElseThrow());
    url.append(url.indexOf("?") < 0 ? '?' : '&');
    challenge.parameter("service").ifPresent(service -> url.append("service=").append(encode(service)).append('&'));
    url.append("scope=").append(encode(challenge.parameter("scope").orElse(call.scope())));
    BoundedBuffer body = new BoundedBuffer(TOKEN_RESPONSE_LIMIT, "token response");
    HttpRequest<Void> request;
    try {
      request = web.requestAbs(HttpMethod.GET, url.toString())
          .timeout(config.requestTimeout().toMillis())
          .as(BodyCodec.pipe(body, true));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return Future.failedFuture(new RegistryUnavailableException("registry " + call.registry()
          + " names a token service the engine cannot reach: " + describe(e)));
    }
    known.ifPresent(credentials -> request.putHeader("Authorization", basic(credentials)));
    return request.send()
        .recover(failure -> Future.failedFuture(new RegistryUnavailableException("the token service of registry "
            + call.registry() + " is unreachable: " + describe(failure))))
        .compose(response -> {
          if (response.statusCode() == 401 || response.statusCode() == 403) {
            return Future.failedFuture(new UnauthorizedException("registry " + call.registry()
                + " denied a token for " + call.scope().replace(":pull", "") + credentialsHint(call)));
          }
          if (response.statusCode() != 200) {
            return Future.failedFuture(new RegistryUnavailableException("the token service of registry "
                + call.registry() + " answered HTTP " + response.statusCode()));
          }
          JsonObject json;
          try {
            json = body.collected().toJsonObject();
          } catch (RuntimeException e) {
            return Future.failedFuture(new RegistryUnavailableException("the token service of registry "
                + call.registry() + " answered something that is not a token"));
          }
          String token = json.getValue("token") instanceof String t ? t
              : json.getValue("access_token") instanceof String t ? t : null;
          if (token == null || token.isEmpty()) {
            return Future.failedFuture(new RegistryUnavailableException("the token service of registry "
                + call.registry() + " answered without a token"));
          }
          long seconds = json.getValue("expires_in") instanceof Number n && n.longValue() > 0
              ? n.longValue() : DEFAULT_TOKEN_SECONDS;
          tokens.put(tokenKey(call), new Token(token, Instant.now().plusSeconds(seconds)));
          return Future.succeededFuture();
        });
  }

  private String credentialsHint(Call<?> call) {
    return credentials.forRegistry(call.registry()).isPresent()
        ? " (the configured credentials were refused)"
        : " (no credentials are configured for it)";
  }

  private Future<Void> later(int retry) {
    return vertx.timer(100L << Math.min(retry, 6));
  }

  private static String tokenKey(Call<?> call) {
    return call.registry() + " " + call.scope();
  }

  private static Optional<ModuleDigest> headerDigest(MultiMap headers) {
    String value = headers.get("Docker-Content-Digest");
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ModuleDigest.parse(value.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();  // another algorithm: nothing to compare with
    }
  }

  private static boolean isCertificateProblem(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
          || cause.getClass().getName().endsWith("CertPathBuilderException")) {
        return true;
      }
      String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("certification path") || message.contains("certificate")) {
        return true;
      }
    }
    return false;
  }

  /** The peer answered our TLS handshake with something that is not TLS (a plain-http server). */
  private static boolean isNotTls(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException || cause.getClass().getSimpleName().equals("NotSslRecordException")) {
        return true;
      }
    }
    return false;
  }

  static boolean isLoopback(String hostAndPort) {
    String host = hostAndPort.startsWith("[")
        ? hostAndPort.substring(1, hostAndPort.indexOf(']'))
        : hostAndPort.replaceFirst(":\\d+$", "");
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  private static String basic(RegistryCredentials credentials) {
    String pair = credentials.username() + ":" + credentials.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
