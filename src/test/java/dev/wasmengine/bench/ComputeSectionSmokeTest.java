package dev.wasmengine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the compute section on the smoke budget so its code paths cannot rot; asserts no timing. */
class ComputeSectionSmokeTest {
  private static final List<String> ENGINES = List.of("native", "v8", "jit", "aot", "interp");

  @Test
  void everyEngineReportsAWarmUpCurve(@TempDir Path work) throws Exception {
    Path benches = Modules.home().resolve("benches");
    for (String output : List.of("build/modules/fib.wasm", "build/fib-native")) {
      assertTrue(Files.exists(benches.resolve(output)),
          "benches/" + output + " is missing: run make -C benches modules native (bin/test does)");
    }

    JsonObject result = new ComputeSection().run(new BenchContext(Modules.home(), Budget.SMOKE, work));

    assertEquals("fib(24)", result.getString("function"));
    Map<String, JsonObject> runs = result.getJsonArray("runs").stream()
        .map(JsonObject.class::cast)
        .collect(Collectors.toMap(run -> run.getString("engine"), Function.identity()));
    assertEquals(ENGINES.stream().sorted().toList(), runs.keySet().stream().sorted().toList());
    for (String engine : ENGINES) {
      JsonObject run = runs.get(engine);
      if (engine.equals("interp") && run.getInteger("iterations") == 0) {
        // The interpreter stops at the budget's cap: with no call finished by then, it says so.
        assertTrue(run.getBoolean("capped"), run.encode());
        assertTrue(run.getJsonArray("curve").isEmpty(), run.encode());
        continue;
      }
      assertNotNull(run.getDouble("steady_ms"), engine + ": " + run.encode());
      assertTrue(run.getDouble("steady_ms") > 0, engine + ": " + run.encode());
      assertTrue(run.getDouble("first_ms") > 0, engine + ": " + run.encode());
      assertTrue(run.getInteger("iterations") > 0, engine);
      assertTrue(run.getDouble("vs_native") > 0 && run.getDouble("vs_v8") > 0, engine + ": " + run.encode());
      JsonArray curve = run.getJsonArray("curve");
      assertFalse(curve.isEmpty(), engine);
      assertTrue(curve.size() <= ComputeSection.MAX_CURVE_POINTS, engine);
      assertTrue(curve.size() <= run.getInteger("iterations"), engine);
      for (Object point : curve) {
        assertEquals(2, ((JsonArray) point).size(), engine);
      }
    }
    assertTrue(runs.get("interp").getInteger("iterations") <= ComputeSection.INTERP_MAX_CALLS);
  }

  @Test
  void summaryKeepsTheFirstAndLastCallAndTakesTheMedianOfTheLastHalf() {
    List<ComputeSection.Sample> samples = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      samples.add(new ComputeSection.Sample(i + 1, i < 500 ? 10 : 1 + (i % 3)));
    }
    JsonObject run = ComputeSection.summary("x", "", samples);
    assertEquals(2.0, run.getDouble("steady_ms"));
    assertEquals(10.0, run.getDouble("first_ms"));
    assertEquals(1000, run.getInteger("iterations"));
    JsonArray curve = run.getJsonArray("curve");
    assertEquals(ComputeSection.MAX_CURVE_POINTS, curve.size());
    assertEquals(1.0, curve.getJsonArray(0).getDouble(0));
    assertEquals(1000.0, curve.getJsonArray(curve.size() - 1).getDouble(0));

    JsonObject none = ComputeSection.summary("interp", "", List.of());
    assertEquals(0, none.getInteger("iterations"));
    assertTrue(none.getJsonArray("curve").isEmpty());
  }
}
