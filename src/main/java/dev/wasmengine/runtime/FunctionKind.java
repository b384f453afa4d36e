package dev.wasmengine.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a function's module takes a call: the three ABIs the engine speaks. */
public enum FunctionKind {
  /** ABI 1 of the original: an exported {@code (ptr, len) -> (ptr, len)} function over memory. */
  EXPORT,
  /** ABI 2 of the original: a WASI command whose only argv entry is the args JSON. */
  COMMAND,
  /** A WASI command serving one HTTP request, CGI style (WAGI and the OpenFaaS watchdog). */
  HTTP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<FunctionKind> parse(String name) {
    return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(FunctionKind::wireName).toList();
  }

  /** Whether the module is a WASI command (the original's {@code wasi_cap}). */
  public boolean wasi() {
    return this != EXPORT;
  }
}
