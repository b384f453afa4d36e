package dev.wasmengine.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a function's module is executed; chosen per function at deploy. */
public enum ExecutionModel {
  /** GraalWasm: Truffle interpreter with the Graal JIT compiling hot code. */
  JIT,
  /** Chicory: the module compiled to JVM bytecode at deploy time. */
  AOT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ExecutionModel> parse(String name) {
    return Arrays.stream(values()).filter(model -> model.wireName().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(ExecutionModel::wireName).toList();
  }
}
