package dev.wasmengine.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench run behind {@code benches/run.sh}: every section in turn, the raw results to
 * {@code benches/results/<date>-<budget>.json}, then the report: for a full run the tables in
 * benches/README.md and the charts in benches/charts/, otherwise a report beside the results.
 * A section that fails is recorded as failed, the others still run, and the run exits non-zero.
 * {@code --render=RESULTS.json} only redraws the tables and charts from earlier results.
 */
public final class BenchRun {
  static List<Section> sections() {
    return List.of(new InstantiateCallSection(), new WarmPathSection(), new ComputeSection(), new HttpSection(),
        new ColdStartSection(), new DensitySection(), new ConcurrencySection());
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Path home = Path.of(options.getOrDefault("home", ".")).toAbsolutePath().normalize();
    if (options.containsKey("render")) {
      // Tables and charts again from a full run's raw results, without measuring anything.
      JsonObject results = new JsonObject(Files.readString(Path.of(options.get("render"))));
      Report.write(results, home.resolve("benches/README.md"), home.resolve("benches/charts"));
      return;
    }
    Budget budget = Budget.named(options.getOrDefault("budget", "quick"));
    List<String> only = options.containsKey("only") ? List.of(options.get("only").split(",")) : List.of();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    Path work = Files.createTempDirectory("wasmengine-bench");
    BenchContext context = new BenchContext(home, budget, work);

    JsonObject results = new JsonObject().put("date", stamp).put("budget", budget.name())
        .put("machine", MachineFacts.collect(context));
    JsonObject sections = new JsonObject();
    JsonObject seconds = new JsonObject();
    List<String> failed = new ArrayList<>();
    for (Section section : sections()) {
      if (!only.isEmpty() && !only.contains(section.name())) {
        continue;
      }
      context.log("section " + section.name() + " (" + budget.name() + ")");
      long started = System.nanoTime();
      try {
        sections.put(section.name(), section.run(context));
      } catch (Exception | AssertionError e) {
        context.log("section " + section.name() + " failed: " + e);
        e.printStackTrace();
        sections.put(section.name(), new JsonObject().put("error", String.valueOf(e)));
        failed.add(section.name());
      }
      seconds.put(section.name(), Math.round((System.nanoTime() - started) / 1e9));
    }
    results.put("sections", sections).put("seconds", seconds);

    Path resultsDir = Files.createDirectories(home.resolve("benches/results"));
    Path file = resultsDir.resolve(stamp + "-" + budget.name() + ".json");
    Files.writeString(file, results.encodePrettily());
    context.log("results: " + file);
    if (budget == Budget.FULL && only.isEmpty()) {
      Report.write(results, home.resolve("benches/README.md"), home.resolve("benches/charts"));
      context.log("tables and charts: benches/README.md, benches/charts/");
    } else {
      Path reportDir = Files.createDirectories(resultsDir.resolve(stamp + "-" + budget.name()));
      Path readme = reportDir.resolve("report.md");
      Files.writeString(readme, Report.BEGIN + "\n" + Report.END + "\n");
      Report.write(results, readme, reportDir);
      context.log("report: " + readme);
    }
    System.exit(failed.isEmpty() ? 0 : 1);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("options are --name=value, got " + arg);
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return options;
  }
}
