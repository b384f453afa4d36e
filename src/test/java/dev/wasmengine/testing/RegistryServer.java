package dev.wasmengine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}) on a free loopback port, with
 * a config generated into its own directory: anonymous, htpasswd basic auth, token auth, or TLS.
 * Its whole output (access log included) is kept, so tests can count the requests it served.
 */
public final class RegistryServer implements AutoCloseable {
  private static final Pattern ACCESS_LOG = Pattern.compile(
      "^\\S+ - \\S+ \\[[^\\]]*] \"(\\S+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ", Pattern.MULTILINE);
  private static final Duration START_DEADLINE = Duration.ofSeconds(30);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(15);
  private static final Duration LOG_DEADLINE = Duration.ofSeconds(15);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
  private static final int START_ATTEMPTS = 3;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** What differs between the registry variants: an auth section and TLS. */
  private record Variant(String name, String authYaml, Certificates.ServerTls tls) {}

  private final Path dir;
  private final Path storage;
  private final int port;
  private final Certificates.ServerTls tls;
  private final Process process;
  private final StringBuilder output;
  private final Thread reader;
  private final HttpClient http;
  private final Thread shutdownHook;

  private RegistryServer(Path dir, Path storage, int port, Certificates.ServerTls tls, Process process,
      StringBuilder output, Thread reader, HttpClient http) {
    this.dir = dir;
    this.storage = storage;
    this.port = port;
    this.tls = tls;
    this.process = process;
    this.output = output;
    this.reader = reader;
    this.http = http;
    this.shutdownHook = new Thread(process::destroyForcibly, "registry-cleanup-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** An anonymous registry over plain http. */
  public static RegistryServer plain(Path parent) {
    return start(parent, new Variant("plain", "", null));
  }

  /** A registry that wants HTTP basic credentials (htpasswd file, bcrypt as distribution requires). */
  public static RegistryServer basicAuth(Path parent, String user, String password) {
    Path dir = newDirectory(parent, "htpasswd");
    Path htpasswd = dir.resolve("htpasswd");
    Commands.Result hash = Commands.run(dir, "htpasswd", "-Bbn", user, password);
    write(htpasswd, hash.stdoutText().strip() + "\n");
    String auth = """
        auth:
          htpasswd:
            realm: wasmengine-test
            path: %s
        """.formatted(quoted(htpasswd));
    return start(parent, new Variant("basic", auth, null));
  }

  /** A registry that wants bearer tokens from {@code realm}, signed by the key of {@code rootCertBundle}. */
  public static RegistryServer tokenAuth(Path parent, String realm, String service, String issuer, Path rootCertBundle) {
    String auth = """
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: %s
        """.formatted(quoted(realm), quoted(service), quoted(issuer), quoted(rootCertBundle));
    return start(parent, new Variant("token", auth, null));
  }

  /** An anonymous registry over https with the server certificate of {@code tls}. */
  public static RegistryServer tls(Path parent, Certificates.ServerTls tls) {
    return start(parent, new Variant("tls", "", tls));
  }

  /** {@code 127.0.0.1:PORT}, as a reference names the registry. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public boolean isTls() {
    return tls != null;
  }

  public String baseUrl() {
    return (isTls() ? "https" : "http") + "://" + host();
  }

  /** {@code host/repoAndTag}, e.g. ref("fns/gcd:v1") = 127.0.0.1:PORT/fns/gcd:v1. */
  public String ref(String repoAndTag) {
    return host() + "/" + repoAndTag;
  }

  /** The directory of this registry: its config, its storage, its htpasswd file. */
  public Path directory() {
    return dir;
  }

  /** The on-disk file of a blob, e.g. to corrupt it: the registry serves it as it is. */
  public Path blobFile(String digest) {
    if (!digest.startsWith("sha256:")) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    String hex = digest.substring("sha256:".length());
    return storage.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
  }

  /** Everything the registry printed so far (stdout and stderr merged). */
  public String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  /**
   * How many access-log lines show {@code method} on a path matching {@code pathRegex} (whole
   * path, query included). Every request answered before this call is counted: a marker request
   * is sent first and its log line awaited.
   */
  public int countRequests(String method, String pathRegex) {
    sync();
    return countLogged(method, Pattern.compile(pathRegex));
  }

  /** The access-log lines so far, as "METHOD PATH STATUS". */
  public List<String> requests() {
    sync();
    List<String> lines = new ArrayList<>();
    Matcher matcher = ACCESS_LOG.matcher(output());
    while (matcher.find()) {
      lines.add(matcher.group(1) + " " + matcher.group(2) + " " + matcher.group(3));
    }
    return lines;
  }

  /** Sends a request of its own and waits until the access log shows it (so all earlier ones are there). */
  public void sync() {
    String marker = "/v2/sync-" + UUID.randomUUID().toString().replace("-", "") + "/tags/list";
    int status = probe(marker);
    if (status < 0) {
      fail("the registry did not answer " + marker + "; its output:\n" + output());
    }
    Pattern path = Pattern.compile(Pattern.quote(marker));
    long deadline = System.nanoTime() + LOG_DEADLINE.toNanos();
    while (countLogged("GET", path) == 0) {
      if (System.nanoTime() - deadline > 0) {
        fail("the registry's access log did not show " + marker + " within " + LOG_DEADLINE + "; its output:\n" + output());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Starts a plain TCP front on another loopback port that counts TLS and plain connections. */
  public TcpFront front() {
    return TcpFront.start(port);
  }

  /** SIGTERM, bounded wait, SIGKILL if needed. */
  public void stop() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      reader.join(STOP_DEADLINE);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      http.close();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  private int countLogged(String method, Pattern path) {
    int count = 0;
    Matcher matcher = ACCESS_LOG.matcher(output());
    while (matcher.find()) {
      if (matcher.group(1).equals(method) && path.matcher(matcher.group(2)).matches()) {
        count++;
      }
    }
    return count;
  }

  /** Any HTTP answer's status (401 included), or -1 if none came. */
  private int probe(String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static RegistryServer start(Path parent, Variant variant) {
    Path dir = newDirectory(parent, "registry-" + variant.name());
    Path storage = dir.resolve("storage");
    StringBuilder failures = new StringBuilder();
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freePort();
      Path config = dir.resolve("config-" + attempt + ".yml");
      write(config, config(storage, port, variant));
      StringBuilder output = new StringBuilder();
      Process process;
      try {
        process = new ProcessBuilder("docker-registry", "serve", config.toString())
            .directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start docker-registry (apt-get install docker-registry)", e);
      }
      Thread reader = Thread.ofPlatform().daemon().name("registry-output-" + process.pid())
          .start(() -> collect(process.getInputStream(), output));
      HttpClient http = client(variant.tls());
      RegistryServer server = new RegistryServer(dir, storage, port, variant.tls(), process, output, reader, http);
      if (server.awaitServing()) {
        return server;
      }
      server.stop();
      String text;
      synchronized (output) {
        text = output.toString();
      }
      if (!text.contains("address already in use")) {
        fail("docker-registry (" + variant.name() + ") did not serve on port " + port + " within " + START_DEADLINE
            + "; its output:\n" + text);
      }
      failures.append("attempt ").append(attempt).append(": port ").append(port).append(" was taken\n");
    }
    throw new AssertionError("docker-registry could not bind a free port:\n" + failures);
  }

  /** Polls GET /v2/ until any HTTP answer comes; false if the process dies or the deadline passes. */
  private boolean awaitServing() {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        return false;
      }
      if (probe("/v2/") > 0) {
        return true;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return false;
  }

  private static String config(Path storage, int port, Variant variant) {
    StringBuilder yaml = new StringBuilder("""
        version: 0.1
        log:
          level: info
          formatter: text
          accesslog:
            disabled: false
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: 127.0.0.1:%d
          secret: wasmengine-test-secret
        """.formatted(quoted(storage), port));
    if (variant.tls() != null) {
      yaml.append("""
            tls:
              certificate: %s
              key: %s
          """.formatted(quoted(variant.tls().serverCert()), quoted(variant.tls().serverKey())));
    }
    yaml.append(variant.authYaml());
    return yaml.toString();
  }

  private static HttpClient client(Certificates.ServerTls tls) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls.trustingCa());
    }
    return builder.build();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static void collect(InputStream in, StringBuilder output) {
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      int read;
      while ((read = reader.read(buffer)) >= 0) {
        synchronized (output) {
          output.append(buffer, 0, read);
        }
      }
    } catch (IOException e) {
      synchronized (output) {
        output.append("\n[reading the registry's output failed: ").append(e).append("]\n");
      }
    }
  }

  private static Path newDirectory(Path parent, String name) {
    try {
      return Files.createDirectories(parent.resolve(name + "-" + INSTANCES.incrementAndGet()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML double-quoted scalar. */
  private static String quoted(Object value) {
    return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * A TCP relay on a free loopback port in front of the registry that looks at the first byte of
   * every connection: 0x16 starts a TLS handshake, anything else is plain text (plain http). So a
   * test can tell whether a client ever spoke plain http to a TLS registry, which the registry
   * itself does not log.
   */
  public static final class TcpFront implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final AtomicInteger tlsConnections = new AtomicInteger();
    private final AtomicInteger plainConnections = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    private TcpFront(ServerSocket server, int target) {
      this.server = server;
      this.target = target;
      this.acceptor = Thread.ofVirtual().name("tcp-front-" + server.getLocalPort()).start(this::acceptLoop);
    }

    static TcpFront start(int target) {
      try {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return new TcpFront(server, target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen", e);
      }
    }

    public int port() {
      return server.getLocalPort();
    }

    public String host() {
      return "127.0.0.1:" + port();
    }

    public int tlsConnections() {
      return tlsConnections.get();
    }

    public int plainConnections() {
      return plainConnections.get();
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      synchronized (sockets) {
        for (Socket socket : sockets) {
          try {
            socket.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        }
        sockets.clear();
      }
      try {
        acceptor.join(STOP_DEADLINE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          track(client);
          Thread.ofVirtual().start(() -> relay(client));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void relay(Socket client) {
      try (client) {
        PushbackInputStream in = new PushbackInputStream(client.getInputStream(), 1);
        int first = in.read();
        if (first < 0) {
          return;
        }
        in.unread(first);
        (first == 0x16 ? tlsConnections : plainConnections).incrementAndGet();
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target)) {
          track(upstream);
          Thread back = Thread.ofVirtual().start(() -> {
            pump(safeStream(upstream), safeOut(client));
            try {
              client.shutdownOutput();
            } catch (IOException ignored) {
              // already closed
            }
          });
          pump(in, upstream.getOutputStream());
          upstream.shutdownOutput();
          back.join(Duration.ofMinutes(5));
        }
      } catch (IOException | InterruptedException ignored) {
        // a connection closed by either side ends the relay
      }
    }

    private void track(Socket socket) {
      synchronized (sockets) {
        sockets.add(socket);
      }
    }

    private static InputStream safeStream(Socket socket) {
      try {
        return socket.getInputStream();
      } catch (IOException e) {
        return InputStream.nullInputStream();
      }
    }

    private static OutputStream safeOut(Socket socket) {
      try {
        return socket.getOutputStream();
      } catch (IOException e) {
        return OutputStream.nullOutputStream();
      }
    }

    private static void pump(InputStream in, OutputStream out) {
      byte[] buffer = new byte[16384];
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException ignored) {
        // the other side closed
      }
    }
  }
}
