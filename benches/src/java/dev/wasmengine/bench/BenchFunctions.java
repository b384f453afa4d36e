package dev.wasmengine.bench;

import java.util.List;

/** The original WasmEngine's bench functions: their names, inputs and expected outputs. */
public final class BenchFunctions {
  public static final List<String> ALL =
      List.of("gcd", "gcd_wasi", "echo_string", "echo_string_wasi", "authentication", "authentication_wasi");

  static final String AUTH_INPUT = "{\"arg_uri\":\"yes\",\"arg_body\":\"yes\",\"arg_secret\":\"12345\"}";
  static final String AUTH_OUTPUT = "{\"status\":\"403\",\"body\":\"<html><h1>Auth Forbidden!</h1>"
      + "<p>hash c5187dd86a648a819f527c7a8a4f7bf4 secret 12345</p></html>\"}";

  /** The original's criterion table (instantiate + call), measured on their machine, in µs. */
  public static final java.util.Map<String, Double> ORIGINAL_US = java.util.Map.of(
      "gcd", 2.49, "gcd_wasi", 7.88, "echo_string", 29.3, "echo_string_wasi", 37.6,
      "authentication", 26.0, "authentication_wasi", 33.2);

  private BenchFunctions() {}

  /** The args JSON each function is called with (both ABIs get the same). */
  public static String input(String function) {
    return switch (function.replace("_wasi", "")) {
      case "gcd" -> "{\"a\":\"12\",\"b\":\"18\"}";
      case "echo_string" -> "{\"x\":\"a\"}";
      case "authentication" -> AUTH_INPUT;
      default -> throw new IllegalArgumentException("not a bench function: " + function);
    };
  }

  public static String output(String function) {
    return switch (function.replace("_wasi", "")) {
      case "gcd" -> "6";
      case "echo_string" -> "{\"x\":\"a\"}b";
      case "authentication" -> AUTH_OUTPUT;
      default -> throw new IllegalArgumentException("not a bench function: " + function);
    };
  }
}
