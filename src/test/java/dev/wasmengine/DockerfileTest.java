package dev.wasmengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's container image cannot be built here (no Docker engine, no base images), so this
 * checks what can be checked: it launches the engine exactly as bin/wasm-engine does.
 */
class DockerfileTest {
  static final String IMAGE_HOME = "/opt/wasm-engine";

  @Test
  void the_image_launches_the_engine_with_the_same_command_as_bin_wasm_engine() throws IOException {
    List<String> script = launchCommand(Files.readString(Modules.home().resolve("bin/wasm-engine")));
    List<String> expected = new ArrayList<>();
    for (String word : script) {
      if (word.equals("$@")) {
        continue;
      }
      expected.add(word.replace("$JAVA_HOME/bin/java", "java").replace("$ROOT", IMAGE_HOME));
    }
    assertEquals(expected, entrypoint(Files.readString(Modules.home().resolve("docker/Dockerfile"))));
    assertTrue(expected.contains("@" + IMAGE_HOME + "/target/jit.args"), "the JIT flags are part of it: " + expected);
  }

  /** The words of the line starting with exec in bin/wasm-engine, quotes removed. */
  private static List<String> launchCommand(String script) {
    String line = script.lines().filter(l -> l.startsWith("exec ")).findFirst()
        .orElseThrow(() -> new AssertionError("bin/wasm-engine has no exec line"));
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    for (char c : line.substring("exec ".length()).toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }

  private static List<String> entrypoint(String dockerfile) {
    String line = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst()
        .orElseThrow(() -> new AssertionError("docker/Dockerfile has no ENTRYPOINT"));
    return new JsonArray(line.substring("ENTRYPOINT ".length())).stream().map(String.class::cast).toList();
  }
}
