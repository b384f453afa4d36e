package dev.wasmengine.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many open connections with invocations in flight: {@code wrk -c N -t 2} against a real engine
 * (jit, the default fresh policy) invoking {@code gcd}, and the same against the bare Vert.x hello
 * server, errors counted. N (10,000 in the quick and full budgets) is past the engine's default
 * queue bounds, so this engine runs with larger queues and a longer wait, recorded in the result.
 * Needs N + 1000 open files: the launching script raises the limit ({@code ulimit -n 65536}).
 */
public final class ConcurrencySection implements Section {
  private static final Pattern OPEN_FILES = Pattern.compile("(?m)^Max open files\\s+(\\S+)\\s+(\\S+)");
  private static final int FD_HEADROOM = 1000;

  @Override
  public String name() {
    return "concurrency";
  }

  @Override
  public JsonObject run(BenchContext context) throws Exception {
    Budget budget = context.budget();
    int connections = budget.concurrencyConnections();
    long limit = openFilesLimit();
    if (limit < connections + FD_HEADROOM) {
      throw new IllegalStateException("concurrency: " + connections + " connections need an open-files limit of at least "
          + (connections + FD_HEADROOM) + ", this process has " + limit
          + "; raise it before starting the harness (ulimit -n 65536, as benches/run.sh does)");
    }
    int seconds = HttpSection.wrkSeconds(budget.measure());
    int warmupSeconds = HttpSection.wrkSeconds(budget.warmup());
    int warmupConnections = Math.min(16, connections);
    int queue = Math.max(20_000, 2 * connections);
    JsonObject engineConfig = new JsonObject().put("invoke", new JsonObject()
        .put("queue_per_function", queue)
        .put("queue_total", queue)
        .put("timeout_ms", 60_000));

    JsonObject result = new JsonObject()
        .put("tool", HttpSection.wrkVersion(context))
        .put("connections", connections)
        .put("threads", Math.min(2, connections))
        .put("duration_s", seconds)
        .put("open_files_limit", limit)
        .put("engine_config", engineConfig)
        .put("engine_model", "jit")
        .put("engine_policy", "fresh");

    context.log("concurrency: engine (jit, fresh), " + connections + " connections");
    Path dir = context.scratch("concurrency-engine");
    try (HttpSection.Server engine = HttpSection.startEngine(context, dir, engineConfig, "jit")) {
      HttpSection.verify(engine, "gcd", HttpSection.GCD_BODY, HttpSection.GCD_OUTPUT, "jit");
      String url = engine.url("/function/invoke");
      List<String> body = List.of(HttpSection.GCD_BODY);
      HttpSection.wrk(context, engine, "gcd jit/fresh warm-up", "invoke.lua", url, warmupConnections, warmupSeconds,
          body);
      result.put("engine", summary(
          HttpSection.wrk(context, engine, "gcd jit/fresh", "invoke.lua", url, connections, seconds, body)));
    }

    context.log("concurrency: baseline (bare Vert.x hello), " + connections + " connections");
    try (HttpSection.Server hello = HttpSection.startBaseline(context)) {
      String url = hello.url("/");
      HttpSection.wrk(context, hello, "baseline warm-up", "get.lua", url, warmupConnections, warmupSeconds,
          List.of());
      result.put("baseline", summary(
          HttpSection.wrk(context, hello, "baseline", "get.lua", url, connections, seconds, List.of())));
    }
    return result;
  }

  private static JsonObject summary(JsonObject wrk) {
    JsonObject latency = wrk.getJsonObject("latency_us");
    JsonObject errors = wrk.getJsonObject("errors");
    return new JsonObject()
        .put("requests", wrk.getLong("requests"))
        .put("requests_per_s", HttpSection.requestsPerSecond(wrk))
        .put("ok_requests_per_s", HttpSection.okRequestsPerSecond(wrk))
        .put("p50_ms", HttpSection.millis(latency.getLong("p50")))
        .put("p99_ms", HttpSection.millis(latency.getLong("p99")))
        .put("p999_ms", HttpSection.millis(latency.getLong("p999")))
        .put("max_ms", HttpSection.millis(latency.getLong("max")))
        .put("errors", new JsonObject()
            .put("connect", errors.getLong("connect"))
            .put("read", errors.getLong("read"))
            .put("write", errors.getLong("write"))
            .put("timeout", errors.getLong("timeout")))
        .put("non2xx", errors.getLong("status"));
  }

  /**
   * This process's soft limit on open files, from /proc/self/limits (what wrk and the servers,
   * started from here, inherit); {@link Long#MAX_VALUE} when unlimited or unknown (not Linux).
   */
  static long openFilesLimit() throws IOException {
    Path limits = Path.of("/proc/self/limits");
    if (!Files.isReadable(limits)) {
      return Long.MAX_VALUE;
    }
    Matcher matcher = OPEN_FILES.matcher(Files.readString(limits));
    if (!matcher.find() || matcher.group(1).equals("unlimited")) {
      return Long.MAX_VALUE;
    }
    return Long.parseLong(matcher.group(1));
  }
}
