package dev.wasmengine.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real engine in its own JVM, started as bin/wasm-engine starts it (this JVM's java, the flags
 * of target/jit.args, target/classes and target/lib on the class path), with stdout and stderr
 * merged and collected by a background thread. Every wait is bounded by a deadline.
 */
public final class EngineProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(60);
  private static final Duration READER_DEADLINE = Duration.ofSeconds(10);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Process process;
  private final StringBuilder output = new StringBuilder();
  private final Thread reader;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(HTTP_TIMEOUT)
      .build();
  private int port = -1;

  private EngineProcess(Process process) {
    this.process = process;
    this.reader = Thread.ofPlatform().daemon().name("engine-output-" + process.pid()).start(this::collectOutput);
  }

  /**
   * Starts {@code dev.wasmengine.Main} with {@code args}.
   *
   * @param jit true: with the flags of target/jit.args, as bin/wasm-engine does; false: without
   *            them, every jar (GraalVM ones included) on the plain class path
   */
  public static EngineProcess start(List<String> args, boolean jit) {
    return start(args, jit, false);
  }

  /** @param withTestClasses also target/test-classes on the class path (verticles the tests deploy into the engine) */
  public static EngineProcess start(List<String> args, boolean jit, boolean withTestClasses) {
    Path home = Modules.home();
    Path target = home.resolve("target");
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    String classPath;
    if (jit) {
      Path jitArgs = target.resolve("jit.args");
      assertTrue(Files.isRegularFile(jitArgs), jitArgs + " is missing: run mvn -DskipTests package");
      command.add("@" + jitArgs);
      classPath = String.join(File.pathSeparator, target.resolve("classes").toString(), target.resolve("lib") + "/*");
    } else {
      classPath = String.join(File.pathSeparator,
          target.resolve("classes").toString(),
          target.resolve("lib") + "/*",
          target.resolve("graal").resolve("modules") + "/*",
          target.resolve("graal").resolve("compiler") + "/*");
    }
    if (withTestClasses) {
      classPath = target.resolve("test-classes") + File.pathSeparator + classPath;
    }
    command.addAll(List.of("@" + home.resolve("conf").resolve("jvm.options"), "-Dwasmengine.home=" + home, "-cp", classPath,
        "dev.wasmengine.Main"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The engine is configured by the arguments alone, whatever the environment of the build.
    builder.environment().keySet().removeIf(name -> name.startsWith("WASM_ENGINE_"));
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      return new EngineProcess(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The java binary of this JVM, so that the engine runs on the same JDK as the tests. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Waits for the "listening on" line; fails with the output so far if the engine exits or is late. */
  public int awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher matcher = LISTENING.matcher(output());
      if (matcher.find()) {
        port = Integer.parseInt(matcher.group(1));
        return port;
      }
      if (!process.isAlive()) {
        joinReader();
        Matcher last = LISTENING.matcher(output());
        if (last.find()) {
          port = Integer.parseInt(last.group(1));
          return port;
        }
        fail("the engine exited with code " + process.exitValue() + " before listening; its output:\n" + output());
      }
      if (System.nanoTime() - deadline > 0) {
        fail("the engine did not listen within " + timeout + "; its output:\n" + output());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Waits for the process to exit by itself; returns its exit code, with all its output collected. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("the engine did not exit within " + timeout + "; its output:\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    joinReader();
    return process.exitValue();
  }

  /** Everything the process printed so far, stdout and stderr merged. */
  public String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM, then waits (bounded); SIGKILL if it is still running. Returns the exit code. */
  public int stop() {
    process.destroy();
    if (!waitQuietly(EXIT_DEADLINE)) {
      process.destroyForcibly();
      waitQuietly(EXIT_DEADLINE);
    }
    joinReader();
    return exitValue();
  }

  /** SIGKILL, then waits (bounded). Returns the exit code. */
  public int kill() {
    process.destroyForcibly();
    waitQuietly(EXIT_DEADLINE);
    joinReader();
    return exitValue();
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public HttpResponse<String> post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        kill();
      }
    } finally {
      http.close();
    }
  }

  /** Any method, a JSON body (or none), the answer with its headers. */
  public HttpResponse<String> request(String method, String path, String json) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  public int port() {
    return port;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("request to the engine failed; its output:\n" + output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private URI uri(String path) {
    if (port < 0) {
      throw new IllegalStateException("call awaitListening first");
    }
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private int exitValue() {
    if (process.isAlive()) {
      fail("process " + process.pid() + " is still running after SIGKILL");
    }
    return process.exitValue();
  }

  private boolean waitQuietly(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** The pipe closes when the process is gone; waiting for the reader makes the output complete. */
  private void joinReader() {
    try {
      if (!reader.join(READER_DEADLINE)) {
        append("\n[the output reader did not finish within " + READER_DEADLINE + "]\n");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void collectOutput() {
    char[] buffer = new char[8192];
    try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        synchronized (output) {
          output.append(buffer, 0, read);
        }
      }
    } catch (IOException e) {
      append("\n[reading the engine's output failed: " + e + "]\n");
    }
  }

  private void append(String text) {
    synchronized (output) {
      output.append(text);
    }
  }
}
