package dev.wasmengine.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP baseline: a bare Vert.x server answering every request with {@code hello} (200,
 * text/plain), one verticle instance per core sharing one socket, as the engine deploys its HTTP
 * verticles. {@code main(port)}: 0 picks a free port (Vert.x cannot share port 0 between
 * instances, so it is chosen first); prints {@code listening on http://127.0.0.1:PORT} when ready.
 */
public final class BareHello extends VerticleBase {
  private static final Buffer HELLO = Buffer.buffer("hello");
  private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain");
  private static final CharSequence LENGTH = HttpHeaders.createOptimized(String.valueOf(HELLO.length()));

  private final int port;

  public BareHello(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(request -> request.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN)
            .putHeader(HttpHeaders.CONTENT_LENGTH, LENGTH)
            .end(HELLO))
        .listen();
  }

  public static void main(String[] args) throws Exception {
    int requested = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int port = requested == 0 ? freePort() : requested;
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(() -> new BareHello(port), new DeploymentOptions().setInstances(instances))
          .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("bare-hello: cannot listen on 127.0.0.1:" + port + ": " + e);
      vertx.close();
      System.exit(3);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the process is ending anyway
      }
    }, "bare-hello-shutdown"));
    System.out.println("listening on http://127.0.0.1:" + port);
    System.out.flush();
  }

  /** A port free on loopback right now (closed again, so the servers can bind it). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
