package dev.wasmengine.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import java.text.DecimalFormat;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG charts of a bench run, drawn headless with JFreeChart. */
final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  private Charts() {}

  static void write(JsonObject results, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    JsonObject sections = results.getJsonObject("sections", new JsonObject());
    usable(sections, "compute").ifPresent(compute -> save(warmup(compute), dir.resolve("warmup.png")));
    usable(sections, "http").ifPresent(http -> save(latency(http), dir.resolve("latency.png")));
    usable(sections, "instantiate_call").ifPresent(ic -> save(ratios(ic), dir.resolve("ratios.png")));
  }

  private static java.util.Optional<JsonObject> usable(JsonObject sections, String name) {
    JsonObject section = sections.getJsonObject(name);
    return section == null || section.containsKey("error") ? java.util.Optional.empty() : java.util.Optional.of(section);
  }

  /** Time of each fib(32) against the time since the first call: how fast each engine warms up. */
  private static JFreeChart warmup(JsonObject compute) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (JsonObject run : Report.objects(compute.getJsonArray("runs"))) {
      XYSeries series = new XYSeries(run.getString("engine"));
      JsonArray curve = run.getJsonArray("curve", new JsonArray());
      for (int i = 0; i < curve.size(); i++) {
        JsonArray point = curve.getJsonArray(i);
        series.add(point.getDouble(0) / 1000.0, Math.max(0.001, point.getDouble(1)));
      }
      data.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("fib(32): time per call over the first seconds", "seconds since the first call",
        "ms per fib(32) (log)", data, PlotOrientation.VERTICAL, true, false, false);
    logRange((XYPlot) chart.getPlot(), "ms per fib(32) (log)");
    return styled(chart);
  }

  /** p99 latency against connections for the bare server and gcd/authentication on each model (fresh). */
  private static JFreeChart latency(JsonObject http) {
    XYSeriesCollection data = new XYSeriesCollection();
    java.util.Map<String, XYSeries> series = new java.util.LinkedHashMap<>();
    for (JsonObject run : Report.objects(http.getJsonArray("runs"))) {
      if (run.getString("policy") != null && !"fresh".equals(run.getString("policy"))) {
        continue;
      }
      String name = run.getString("target") + (run.getString("model") == null ? " (bare Vert.x)" : " " + run.getString("model"));
      series.computeIfAbsent(name, XYSeries::new).add(run.getInteger("connections").doubleValue(),
          Math.max(0.001, run.getDouble("p99_ms")));
    }
    series.values().forEach(data::addSeries);
    JFreeChart chart = ChartFactory.createXYLineChart("HTTP p99 latency against connections (wrk)", "connections (log)",
        "p99 ms (log)", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = (XYPlot) chart.getPlot();
    plot.setDomainAxis(readableLog(new LogAxis("connections (log)"), 1));
    logRange(plot, "p99 ms (log)");
    return styled(chart);
  }

  /** Instantiate + call on each engine as a multiple of V8 doing the same. */
  private static JFreeChart ratios(JsonObject ic) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (String function : BenchFunctions.ALL) {
      double v8 = Report.v8Mean(ic, function);
      for (String engine : InstantiateCallSection.ENGINES) {
        double us = Report.icUs(ic, function, engine);
        if (v8 > 0 && us > 0) {
          data.addValue(us / v8, engine, function);
        }
      }
    }
    JFreeChart chart = ChartFactory.createBarChart("Instantiate + call as a multiple of V8 (lower is better)", "function",
        "× V8", data, PlotOrientation.VERTICAL, true, false, false);
    return styled(chart);
  }

  private static void logRange(XYPlot plot, String label) {
    plot.setRangeAxis(readableLog(new LogAxis(label), 0.001));
  }

  /** Ticks at powers of ten, labelled with plain numbers (1, 10, 100) rather than exponents. */
  private static LogAxis readableLog(LogAxis axis, double smallest) {
    axis.setSmallestValue(smallest);
    axis.setTickUnit(new NumberTickUnit(1));
    axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
    return axis;
  }

  private static JFreeChart styled(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(250, 250, 250));
    return chart;
  }

  private static void save(JFreeChart chart, Path file) {
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
