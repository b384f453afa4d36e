package dev.wasmengine.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The example functions and their expected outputs, from experiments/examples.json. */
public final class ExampleFunctions {
  public record Sample(JsonObject args, String output) {}

  public record Failure(JsonObject args, int exitCode) {}

  public record Example(String name, boolean wasiCap, List<Sample> samples, List<Failure> failures) {
    public dev.wasmengine.runtime.FunctionKind kind() {
      return wasiCap ? dev.wasmengine.runtime.FunctionKind.COMMAND : dev.wasmengine.runtime.FunctionKind.EXPORT;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private ExampleFunctions() {}

  public static List<Example> all() {
    JsonArray entries;
    try {
      entries = new JsonArray(Files.readString(Modules.experiments().resolve("examples.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      List<Sample> samples = new ArrayList<>();
      entry.getJsonArray("samples").forEach(s -> {
        JsonObject sample = (JsonObject) s;
        samples.add(new Sample(sample.getJsonObject("args"), sample.getString("output")));
      });
      List<Failure> failures = new ArrayList<>();
      entry.getJsonArray("failures", new JsonArray()).forEach(f -> {
        JsonObject failure = (JsonObject) f;
        failures.add(new Failure(failure.getJsonObject("args"), failure.getInteger("exit_code")));
      });
      examples.add(new Example(entry.getString("name"), entry.getBoolean("wasi_cap"), samples, failures));
    }
    return examples;
  }

  public static Example named(String name) {
    return all().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }
}
