// The two ways to make GraalWasm instances, measured to choose one: a Context per instance
// (what the engine does: a deadline can cancel exactly one call) against newInstance() inside
// one shared Context (cheaper, but cancelling that Context would stop every call in it).
// Usage: java @target/jit.args ... GraalInstanceCost.java MODULE ROUNDS
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.graal.GraalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;

public class GraalInstanceCost {
  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    int rounds = Integer.parseInt(args[1]);
    GraalRuntime runtime = GraalRuntime.create();
    CompiledModule module = runtime.compile(ModuleDigest.of(bytes), bytes);
    long[] perContext = new long[rounds];
    for (int round = -rounds; round < rounds; round++) {
      long start = System.nanoTime();
      GuestInstance instance = module.instantiate();
      instance.close();
      if (round >= 0) {
        perContext[round] = System.nanoTime() - start;
      }
    }
    Engine engine = Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
    Source source = Source.newBuilder("wasm", ByteSequence.create(bytes), "m").buildLiteral();
    long[] shared = new long[rounds];
    try (Context context = Context.newBuilder("wasm").engine(engine).build()) {
      Value compiled = context.eval(source);
      for (int round = -rounds; round < rounds; round++) {
        long start = System.nanoTime();
        Value instance = compiled.newInstance();
        instance.getMember("exports");
        if (round >= 0) {
          shared[round] = System.nanoTime() - start;
        }
      }
    }
    print("new Context + instance + close", perContext);
    print("newInstance in a shared Context", shared);
    System.exit(0);
  }

  static void print(String what, long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    System.out.printf("%-34s p50 %8.1f us   p99 %8.1f us%n", what, sorted[sorted.length / 2] / 1000.0,
        sorted[(int) (sorted.length * 0.99)] / 1000.0);
  }
}
