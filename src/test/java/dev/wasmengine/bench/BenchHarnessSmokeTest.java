package dev.wasmengine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the bench harness's own sections and its report on the smoke budget, so the suite
 * behind benches/run.sh cannot rot. Checks what came out, never how fast.
 */
class BenchHarnessSmokeTest {

  @Test
  void the_harness_measures_every_path_and_writes_tables_and_charts(@TempDir Path work) throws Exception {
    assertTrue(Files.exists(Modules.home().resolve("benches/build/modules/gcd.wasm")),
        "bench modules are missing: run make -C benches modules native (bin/test does)");
    BenchContext context = new BenchContext(Modules.home(), Budget.SMOKE, work);
    JsonObject sections = new JsonObject();
    for (Section section : new Section[] {new InstantiateCallSection(), new WarmPathSection(), new ColdStartSection(),
        new DensitySection()}) {
      sections.put(section.name(), section.run(context));
    }

    JsonArray instantiate = sections.getJsonObject("instantiate_call").getJsonArray("runs");
    assertEquals(1, instantiate.size(), instantiate.encode());
    assertTrue(instantiate.getJsonObject(0).getDouble("us") > 0);
    assertTrue(sections.getJsonObject("instantiate_call").getJsonArray("v8").getJsonObject(0).getDouble("us_mean") > 0);

    JsonObject warm = sections.getJsonObject("warm_path");
    assertEquals(8, warm.getJsonArray("runs").size(), "2 models x 2 policies x 2 functions");
    for (JsonObject run : Report.objects(warm.getJsonArray("runs"))) {
      assertTrue(run.getInteger("calls") > 0, run.encode());
    }
    assertTrue(warm.getJsonObject("baseline").getInteger("calls") > 0);

    JsonObject cold = sections.getJsonObject("cold_start");
    assertEquals(2, cold.getJsonArray("deploy_to_first_response").size());
    assertTrue(cold.getJsonArray("deploy_to_first_response").getJsonObject(0).getDouble("registry_p50_ms") > 0);
    assertEquals(2, cold.getJsonArray("after_scale_to_zero").size());

    for (JsonObject run : Report.objects(sections.getJsonObject("density").getJsonArray("runs"))) {
      assertTrue(run.getInteger("instances") > 0, run.encode());
    }

    JsonObject results = new JsonObject().put("date", "smoke").put("budget", "smoke")
        .put("machine", MachineFacts.collect(context)).put("sections", sections).put("seconds", new JsonObject());
    Path readme = work.resolve("README.md");
    Files.writeString(readme, "# before\n" + Report.BEGIN + "\nold\n" + Report.END + "\n# after\n");
    Report.write(results, readme, work.resolve("charts"));
    String text = Files.readString(readme);
    assertTrue(text.startsWith("# before\n") && text.endsWith(Report.END + "\n# after\n"), "only the marked part changes");
    assertFalse(text.contains("\nold\n"));
    for (String heading : new String[] {"Instantiate + call", "Warm path", "Cold start", "Density"}) {
      assertTrue(text.contains(heading), heading + " table missing:\n" + text);
    }
    assertTrue(Files.size(work.resolve("charts/ratios.png")) > 0, "the ratio chart was drawn");
  }
}
