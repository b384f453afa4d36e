package dev.wasmengine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the wrk-based sections (HTTP, concurrency) on the smoke budget so their code paths keep
 * working: real baseline and engine processes, real wrk. Checks the shape of the results only,
 * never a timing. Needs wrk (Debian package wrk, installed by bin/test).
 */
class HttpSectionSmokeTest {
  @TempDir
  Path work;

  @Test
  @Timeout(600)
  void httpSectionMeasuresTheBaselineAndEveryModelAndPolicy() throws Exception {
    BenchContext context = new BenchContext(Modules.home(), Budget.SMOKE, work);
    HttpSection section = new HttpSection();
    assertEquals("http", section.name());

    JsonObject result = section.run(context);

    assertTrue(result.getString("tool").startsWith("wrk"), result.encode());
    assertTrue(result.getInteger("duration_s") >= 1, result.encode());
    JsonArray runs = result.getJsonArray("runs");
    Set<String> seen = new HashSet<>();
    for (Object item : runs) {
      JsonObject run = (JsonObject) item;
      String key = run.getString("target") + "/" + run.getString("model") + "/" + run.getString("policy") + "/"
          + run.getInteger("connections");
      assertTrue(seen.add(key), "measured twice: " + key);
      assertTrue(run.getLong("requests") > 0, run.encode());
      assertTrue(run.getDouble("requests_per_s") > 0, run.encode());
      for (String field : List.of("p50_ms", "p99_ms", "p999_ms")) {
        assertNotNull(run.getDouble(field), field + " in " + run.encode());
        assertTrue(run.getDouble(field) >= 0, run.encode());
      }
      assertEquals(0L, run.getLong("errors"), run.encode());
      assertEquals(0L, run.getLong("non2xx"), run.encode());
    }
    List<String> expected = new ArrayList<>();
    for (int connections : Budget.SMOKE.connections()) {
      expected.add("baseline/null/null/" + connections);
      for (String model : List.of("jit", "aot")) {
        for (String policy : List.of("fresh", "reuse")) {
          for (String target : List.of("gcd", "authentication")) {
            expected.add(target + "/" + model + "/" + policy + "/" + connections);
          }
        }
      }
    }
    assertEquals(new HashSet<>(expected), seen, result.encodePrettily());
    assertTrue(runs.stream().map(JsonObject.class::cast)
        .filter(run -> run.getString("target").equals("baseline"))
        .allMatch(run -> run.getValue("model") == null && run.getValue("policy") == null
            && run.containsKey("model") && run.containsKey("policy")), runs.encode());
  }

  @Test
  @Timeout(600)
  void concurrencySectionHoldsItsConnectionsOnTheEngineAndTheBaseline() throws Exception {
    BenchContext context = new BenchContext(Modules.home(), Budget.SMOKE, work);
    ConcurrencySection section = new ConcurrencySection();
    assertEquals("concurrency", section.name());

    JsonObject result = section.run(context);

    assertEquals(Budget.SMOKE.concurrencyConnections(), result.getInteger("connections"), result.encode());
    assertTrue(result.getInteger("duration_s") >= 1, result.encode());
    JsonObject invoke = result.getJsonObject("engine_config").getJsonObject("invoke");
    assertTrue(invoke.getInteger("queue_per_function") >= 20_000, result.encode());
    assertTrue(invoke.getInteger("queue_total") >= 20_000, result.encode());
    assertEquals(60_000, invoke.getInteger("timeout_ms"), result.encode());
    for (String side : List.of("engine", "baseline")) {
      JsonObject measured = result.getJsonObject(side);
      assertNotNull(measured, side + " missing: " + result.encode());
      assertTrue(measured.getLong("requests") > 0, measured.encode());
      assertTrue(measured.getDouble("requests_per_s") > 0, measured.encode());
      assertNotNull(measured.getDouble("p50_ms"), measured.encode());
      assertNotNull(measured.getDouble("p99_ms"), measured.encode());
      JsonObject errors = measured.getJsonObject("errors");
      for (String kind : List.of("connect", "read", "write", "timeout")) {
        assertEquals(0L, errors.getLong(kind), kind + " errors on " + side + ": " + measured.encode());
      }
      assertEquals(0L, measured.getLong("non2xx"), measured.encode());
    }
  }
}
