package dev.wasmengine.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP throughput and latency with {@code wrk}: the bare Vert.x hello server (the baseline), then
 * a real engine per execution model (jit, aot) and instance policy (fresh, reuse) invoking
 * {@code gcd} and {@code authentication} through {@code POST /function/invoke}, at each of the
 * budget's connection counts. Every process is its own JVM, stopped at the end; every run is
 * bounded in time; only loopback is touched.
 *
 * <p>The engines' queues are raised ({@code invoke.queue_per_function} 2000) so that 256
 * connections wait instead of being refused; {@code non2xx} still counts any 429 (wrk's status
 * errors, answers of 400 and over) and {@code ok_requests_per_s} leaves them out. GraalWasm
 * reaches its steady state only after tens of seconds of traffic, so the jit engines warm up
 * for {@link Budget#jitWarmup()} per function before they are measured.
 */
public final class HttpSection implements Section {
  static final String GCD_BODY = "{\"function_name\":\"gcd\",\"args\":{\"a\":\"12\",\"b\":\"18\"}}";
  static final String GCD_OUTPUT = "6";
  static final String AUTH_BODY =
      "{\"function_name\":\"authentication\",\"args\":{\"arg_uri\":\"yes\",\"arg_body\":\"yes\",\"arg_secret\":\"12345\"}}";
  static final String AUTH_OUTPUT = "{\"status\":\"403\",\"body\":\"<html><h1>Auth Forbidden!</h1>"
      + "<p>hash c5187dd86a648a819f527c7a8a4f7bf4 secret 12345</p></html>\"}";

  static final List<String> MODELS = List.of("jit", "aot");
  static final List<String> POLICIES = List.of("fresh", "reuse");
  /** wrk's per-request timeout: a request unanswered this long counts as a timeout error. */
  static final String WRK_TIMEOUT = "10s";
  static final Duration START_LIMIT = Duration.ofSeconds(120);
  static final Duration STOP_LIMIT = Duration.ofSeconds(30);

  private record Target(String name, String body, String output) {}

  private static final List<Target> TARGETS = List.of(
      new Target("gcd", GCD_BODY, GCD_OUTPUT),
      new Target("authentication", AUTH_BODY, AUTH_OUTPUT));

  @Override
  public String name() {
    return "http";
  }

  @Override
  public JsonObject run(BenchContext context) throws Exception {
    Budget budget = context.budget();
    int seconds = wrkSeconds(budget.measure());
    int warmupSeconds = wrkSeconds(budget.warmup());
    int warmupConnections = Math.min(16, Collections.max(budget.connections()));
    JsonArray runs = new JsonArray();
    JsonObject result = new JsonObject()
        .put("tool", wrkVersion(context))
        .put("duration_s", seconds)
        .put("warmup_s", warmupSeconds)
        .put("warmup_connections", warmupConnections)
        .put("runs", runs);

    context.log("http: baseline (bare Vert.x hello)");
    try (Server hello = startBaseline(context)) {
      String url = hello.url("/");
      wrk(context, hello, "baseline warm-up", "get.lua", url, warmupConnections, warmupSeconds, List.of());
      for (int connections : budget.connections()) {
        JsonObject measured = wrk(context, hello, "baseline", "get.lua", url, connections, seconds, List.of());
        runs.add(entry("baseline", null, null, connections, measured));
      }
    }

    for (String model : MODELS) {
      for (String policy : POLICIES) {
        Path dir = context.scratch("http-" + model + "-" + policy);
        JsonObject config = new JsonObject().put("invoke", new JsonObject()
            .put("instance_policy", policy)
            .put("max_instances", 0)
            .put("queue_per_function", 2000)
            .put("queue_total", 20000));
        int warm = wrkSeconds(budget.warmupFor(model));
        context.log("http: engine " + model + "/" + policy);
        try (Server engine = startEngine(context, dir, config, model)) {
          for (Target target : TARGETS) {
            verify(engine, target.name(), target.body(), target.output(), model);
          }
          String url = engine.url("/function/invoke");
          for (Target target : TARGETS) {
            String label = target.name() + " " + model + "/" + policy;
            wrk(context, engine, label + " warm-up", "invoke.lua", url, warmupConnections, warm,
                List.of(target.body()));
            for (int connections : budget.connections()) {
              JsonObject measured = wrk(context, engine, label, "invoke.lua", url, connections, seconds,
                  List.of(target.body()));
              runs.add(entry(target.name(), model, policy, connections, measured));
            }
          }
        }
      }
    }
    return result;
  }

  private static JsonObject entry(String target, String model, String policy, int connections, JsonObject wrk) {
    JsonObject latency = wrk.getJsonObject("latency_us");
    JsonObject errors = wrk.getJsonObject("errors");
    return new JsonObject()
        .put("target", target)
        .put("model", model)
        .put("policy", policy)
        .put("connections", connections)
        .put("requests", wrk.getLong("requests"))
        .put("requests_per_s", requestsPerSecond(wrk))
        .put("ok_requests_per_s", okRequestsPerSecond(wrk))
        .put("p50_ms", millis(latency.getLong("p50")))
        .put("p99_ms", millis(latency.getLong("p99")))
        .put("p999_ms", millis(latency.getLong("p999")))
        .put("errors", errors.getLong("connect") + errors.getLong("read") + errors.getLong("write") + errors.getLong("timeout"))
        .put("non2xx", errors.getLong("status"));
  }

  // ---- shared with ConcurrencySection ----

  /** wrk takes whole seconds: the budget's duration rounded up, at least 1. */
  static int wrkSeconds(Duration duration) {
    return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  static double requestsPerSecond(JsonObject wrk) {
    long micros = wrk.getLong("duration_us");
    return micros <= 0 ? 0 : round(wrk.getLong("requests") * 1_000_000.0 / micros, 1);
  }

  /** Answers under 400 per second: without the engine's 429s (queues full) and other errors. */
  static double okRequestsPerSecond(JsonObject wrk) {
    long micros = wrk.getLong("duration_us");
    long ok = wrk.getLong("requests") - wrk.getJsonObject("errors").getLong("status");
    return micros <= 0 ? 0 : round(ok * 1_000_000.0 / micros, 1);
  }

  static double millis(long micros) {
    return round(micros / 1000.0, 3);
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** The first line of {@code wrk -v} (which exits 1 after printing its usage). */
  static String wrkVersion(BenchContext context) throws IOException, InterruptedException {
    Bounded run = Bounded.run(List.of("wrk", "-v"), Duration.ofSeconds(10));
    String first = run.output().lines().findFirst().orElse("").trim();
    if (!first.startsWith("wrk")) {
      throw new IOException("wrk -v did not print a version (is wrk installed? apt-get install wrk):\n" + run.output());
    }
    return first;
  }

  /**
   * Runs wrk with one of benches/wrk's scripts and returns the JSON line its done() prints.
   * Bounded: the duration plus a grace that grows with the connections (connecting takes time).
   */
  static JsonObject wrk(BenchContext context, Server server, String label, String script, String url, int connections,
      int seconds, List<String> scriptArgs) throws IOException, InterruptedException {
    int threads = Math.min(2, connections);
    List<String> command = new ArrayList<>(List.of("wrk",
        "-t", String.valueOf(threads),
        "-c", String.valueOf(connections),
        "-d", seconds + "s",
        "--timeout", WRK_TIMEOUT,
        "-s", context.home().resolve("benches").resolve("wrk").resolve(script).toString(),
        url));
    if (!scriptArgs.isEmpty()) {
      command.add("--");
      command.addAll(scriptArgs);
    }
    Duration limit = Duration.ofSeconds(seconds + 30 + connections / 200);
    Bounded run = Bounded.run(command, limit);
    if (run.exitCode() != 0) {
      throw new IOException("wrk exited " + run.exitCode() + " (" + String.join(" ", command) + "):\n" + run.output()
          + "\nserver output (end):\n" + server.outputTail());
    }
    JsonObject result = run.output().lines()
        .filter(line -> line.startsWith("{") && line.contains("\"duration_us\""))
        .reduce((first, second) -> second)
        .map(JsonObject::new)
        .orElseThrow(() -> new IOException("wrk printed no result line (" + String.join(" ", command) + "):\n" + run.output()));
    JsonObject errors = result.getJsonObject("errors");
    context.log(String.format("  %s c=%d: %d requests in %ds, p50 %.3f ms, p99 %.3f ms, errors %s",
        label, connections, result.getLong("requests"), seconds,
        millis(result.getJsonObject("latency_us").getLong("p50")),
        millis(result.getJsonObject("latency_us").getLong("p99")), errors.encode()));
    if (!server.isAlive()) {
      throw new IOException("the server died during wrk; its output (end):\n" + server.outputTail());
    }
    return result;
  }

  static Server startBaseline(BenchContext context) throws IOException {
    return Server.start("bare-hello", context.jvm(BareHello.class.getName(), List.of(), List.of("0")), START_LIMIT);
  }

  /**
   * Starts a real engine as bin/wasm-engine does (its JIT flags, target/classes and target/lib),
   * with the examples preloaded, on a free loopback port, its data in {@code dir}.
   */
  static Server startEngine(BenchContext context, Path dir, JsonObject config, String model) throws IOException {
    Path home = context.home();
    Path target = home.resolve("target");
    for (Path needed : List.of(target.resolve("jit.args"), target.resolve("classes"), target.resolve("lib"))) {
      if (!Files.exists(needed)) {
        throw new IOException(needed + " is missing: run mvn -DskipTests package first");
      }
    }
    Files.createDirectories(dir);
    Path configFile = dir.resolve("config.json");
    Files.writeString(configFile, config.encodePrettily());
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = BareHello.freePort();
      List<String> command = List.of(
          context.java().toString(),
          "@" + target.resolve("jit.args"),
          "@" + home.resolve("conf").resolve("jvm.options"),
          "-Dwasmengine.home=" + home,
          "-cp", target.resolve("classes") + File.pathSeparator + target.resolve("lib") + File.separator + "*",
          "dev.wasmengine.Main",
          "--port", String.valueOf(port),
          "--data-dir", dir.resolve("data").toString(),
          "--config", configFile.toString(),
          "--execution-model", model);
      try {
        return Server.start("engine-" + model, command, START_LIMIT);
      } catch (IOException e) {
        last = e;
        if (!String.valueOf(e.getMessage()).contains("already in use")) {
          throw e;
        }
      }
    }
    throw last;
  }

  /** Checks that {@code function} answers 200 with {@code expected} and is deployed on {@code model}. */
  static void verify(Server engine, String function, String body, String expected, String model)
      throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build()) {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(engine.url("/function/invoke")))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (answer.statusCode() != 200 || !expected.equals(answer.body())) {
        throw new IOException(function + " answered " + answer.statusCode() + " " + answer.body() + ", expected 200 "
            + expected + "; engine output (end):\n" + engine.outputTail());
      }
      HttpResponse<String> record = http.send(HttpRequest.newBuilder(URI.create(engine.url("/function/query")))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("function_name", function).encode(),
                  StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      String deployedOn = record.statusCode() == 200 ? new JsonObject(record.body()).getString("execution_model") : null;
      if (!model.equals(deployedOn)) {
        throw new IOException(function + " is deployed on " + deployedOn + ", expected " + model + ": " + record.body());
      }
    }
  }

  /** A command run to its end within a limit, its output (stdout and stderr merged) collected. */
  record Bounded(int exitCode, String output) {
    static Bounded run(List<String> command, Duration limit) throws IOException, InterruptedException {
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IOException("cannot run " + command.getFirst() + " (is it installed?): " + e.getMessage(), e);
      }
      process.getOutputStream().close();
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "[reading the output failed: " + e + "]";
        }
      }, task -> Thread.ofPlatform().daemon().name("bench-output").start(task));
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IOException("timed out after " + limit + ": " + String.join(" ", command));
      }
      String text;
      try {
        text = output.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        text = "[output not collected: " + e + "]";
      }
      return new Bounded(process.exitValue(), text);
    }
  }

  /**
   * A server in its own process (the engine or the baseline), ready once it printed
   * {@code listening on http://127.0.0.1:PORT}; its output is kept (the end of it) for failure
   * messages. {@link #close()} stops it: SIGTERM, a bounded wait, then SIGKILL.
   */
  static final class Server implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final int KEEP_CHARS = 64 * 1024;

    private final String name;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread reader;

    private Server(String name, Process process) {
      this.name = name;
      this.process = process;
      this.reader = Thread.ofPlatform().daemon().name(name + "-output").start(this::collect);
    }

    static Server start(String name, List<String> command, Duration limit) throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // Configured by its arguments alone, whatever the environment of the harness.
      builder.environment().keySet().removeIf(key -> key.startsWith("WASM_ENGINE_"));
      Server server = new Server(name, builder.start());
      server.process.getOutputStream().close();
      try {
        server.port.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        return server;
      } catch (Exception e) {
        server.close();
        String why = e instanceof java.util.concurrent.TimeoutException ? "did not listen within " + limit
            : "exited" + (server.process.isAlive() ? "" : " with code " + server.process.exitValue()) + " before listening";
        throw new IOException(name + " " + why + "; its output:\n" + server.outputTail());
      }
    }

    String url(String path) {
      return "http://127.0.0.1:" + port.join() + path;
    }

    boolean isAlive() {
      return process.isAlive();
    }

    String outputTail() {
      synchronized (output) {
        return output.toString();
      }
    }

    private void collect() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!port.isDone()) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
              port.complete(Integer.parseInt(matcher.group(1)));
            }
          }
          synchronized (output) {
            output.append(line).append('\n');
            if (output.length() > 2 * KEEP_CHARS) {
              output.delete(0, output.length() - KEEP_CHARS);
            }
          }
        }
      } catch (IOException e) {
        synchronized (output) {
          output.append("[reading the output failed: ").append(e).append("]\n");
        }
      } finally {
        port.completeExceptionally(new IOException(name + " closed its output"));
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        reader.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
