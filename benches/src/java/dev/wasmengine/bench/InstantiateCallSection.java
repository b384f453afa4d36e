package dev.wasmengine.bench;

import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.FunctionAbi;
import dev.wasmengine.runtime.FunctionGrant;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.runtime.GuestRequest;
import dev.wasmengine.runtime.FunctionCaller;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.GuestLimits;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.WasmRuntime;
import dev.wasmengine.runtime.chicory.ChicoryRuntime;
import dev.wasmengine.runtime.graal.GraalRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The original's table: instantiate + call per bench function and execution model (JMH,
 * {@link InstantiateCallBench}), beside V8 doing the same with the same modules (node), and the
 * original's own figures from its README (their machine: a reference, not a ratio).
 */
public final class InstantiateCallSection implements Section {
  static final List<String> ENGINES = List.of("jit", "aot", "interp");

  @Override
  public String name() {
    return "instantiate_call";
  }

  @Override
  public JsonObject run(BenchContext context) throws Exception {
    Path modules = context.home().resolve("benches/build/modules");
    checkOutputs(modules);
    JsonArray runs = new JsonArray();
    List<RunResult> results = new ArrayList<>();
    for (String engine : engines(context.budget())) {
      results.addAll(jmh(context, modules, engine));
    }
    for (RunResult result : results) {
      runs.add(new JsonObject()
          .put("function", result.getParams().getParam("function"))
          .put("engine", result.getParams().getParam("engine"))
          .put("us", result.getPrimaryResult().getScore())
          .put("error_us", result.getPrimaryResult().getScoreError()));
    }
    JsonArray v8 = new JsonArray();
    List<String> node = new ArrayList<>(List.of("node", context.home().resolve("benches/node/instantiate-call.mjs").toString(),
        "--warmup-ms", Long.toString(context.budget().warmup().toMillis()),
        "--measure-ms", Long.toString(context.budget().measure().toMillis())));
    for (String function : functions(context.budget())) {
      node.add(modules.resolve(function + ".wasm").toString());
      node.add(function);
    }
    String output = context.run(node, Duration.ofMinutes(5));
    output.lines().filter(line -> line.startsWith("{")).forEach(line -> v8.add(new JsonObject(line)));
    JsonObject original = new JsonObject();
    BenchFunctions.ORIGINAL_US.forEach(original::put);
    return new JsonObject().put("runs", runs).put("v8", v8).put("original_us", original);
  }

  /** One JMH run per engine: GraalWasm gets its longer warm-up. */
  private static Collection<RunResult> jmh(BenchContext context, Path modules, String engine) throws Exception {
    List<String> jvm = new ArrayList<>(Arrays.asList(
        Files.readString(context.home().resolve("target/jit.args")).strip().split("\\s+")));
    jvm.add("-Xss4m");
    jvm.add("-D" + InstantiateCallBench.MODULES_PROPERTY + "=" + modules);
    Budget budget = context.budget();
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(InstantiateCallBench.class.getSimpleName())
        .param("function", functions(budget).toArray(String[]::new))
        .param("engine", engine)
        .forks(1)
        .warmupIterations(budget.iterations())
        .warmupTime(TimeValue.milliseconds(budget.warmupFor(engine).toMillis() / budget.iterations()))
        .measurementIterations(budget.iterations() + 1)
        .measurementTime(TimeValue.milliseconds(budget.measure().toMillis() / 2))
        .jvmArgsAppend(jvm.toArray(String[]::new))
        .shouldFailOnError(true);
    return new Runner(options.build()).run();
  }

  /** The smoke budget only proves the path works: one function, one engine, one fork. */
  static List<String> functions(Budget budget) {
    return budget == Budget.SMOKE ? List.of("gcd") : BenchFunctions.ALL;
  }

  /** The quick budget leaves out Chicory's interpreter, which only ever shows what compiling buys. */
  static List<String> engines(Budget budget) {
    if (budget == Budget.SMOKE) {
      return List.of("aot");
    }
    return budget == Budget.QUICK ? List.of("jit", "aot") : ENGINES;
  }

  /** Every bench function answers what it should on every engine, before anything is timed. */
  private static void checkOutputs(Path modules) throws Exception {
    for (String engine : ENGINES) {
      WasmRuntime runtime = switch (engine) {
        case "jit" -> GraalRuntime.create();
        case "aot" -> new ChicoryRuntime();
        default -> ChicoryRuntime.interpreted();
      };
      for (String function : BenchFunctions.ALL) {
        byte[] bytes = Files.readAllBytes(modules.resolve(function + ".wasm"));
        CompiledModule module = runtime.compile(ModuleDigest.of(bytes), bytes);
        String export = function.replace("_wasi", "");
        try (GuestInstance instance = module.instantiate()) {
          FunctionAbi abi = FunctionAbi.of(function.endsWith("_wasi") ? FunctionKind.COMMAND : FunctionKind.EXPORT);
          byte[] output = abi.invoke(instance, export,
              GuestRequest.of(BenchFunctions.input(export).getBytes(StandardCharsets.UTF_8)), FunctionGrant.NONE,
              GuestLimits.DEFAULT, FunctionCaller.NONE).body();
          String text = new String(output, StandardCharsets.UTF_8);
          if (!text.equals(BenchFunctions.output(export))) {
            throw new IllegalStateException(function + " on " + engine + " answered " + text);
          }
        }
      }
      runtime.close();
    }
  }
}
