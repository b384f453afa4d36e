package dev.wasmengine.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What a result depends on: the machine, the JVM, the runtimes, the baselines' versions. */
final class MachineFacts {
  private MachineFacts() {}

  static JsonObject collect(BenchContext context) {
    JsonObject facts = new JsonObject()
        .put("cpu", cpuModel())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("memory_mib", memoryMiB())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("graalwasm", "25.0.2")
        .put("chicory", "1.7.5")
        .put("vertx", io.vertx.core.Vertx.class.getPackage().getImplementationVersion());
    facts.put("node", tool(context, List.of("node", "--version")));
    facts.put("gcc", tool(context, List.of("gcc", "--version")));
    facts.put("wrk", tool(context, List.of("wrk", "-v")));
    return facts;
  }

  private static String tool(BenchContext context, List<String> command) {
    try {
      return context.run(command, Duration.ofSeconds(10)).lines().findFirst().orElse("").strip();
    } catch (Exception e) {
      // wrk -v exits non-zero after printing its version; keep what it said.
      String message = e.getMessage() == null ? "" : e.getMessage();
      return message.lines().skip(1).findFirst().orElse("unknown").strip();
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static long memoryMiB() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(0L);
    } catch (Exception e) {
      return 0;
    }
  }
}
