package dev.wasmengine.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, path-addressed reads over the merged JSON config. Values from the environment or the
 * command line arrive as strings, so numbers and booleans are also accepted in string form.
 * Remembers what was read so that a misspelt key is reported instead of silently ignored.
 */
final class ConfigTree {
  private final JsonObject root;
  private final Set<String> read = new HashSet<>();

  ConfigTree(JsonObject root) {
    this.root = root;
  }

  String string(String path) {
    Object value = value(path);
    if (value instanceof String text) {
      return text;
    }
    throw invalid(path, "a string", value);
  }

  int integer(String path, int min, int max) {
    Object value = value(path);
    long number;
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      number = n.longValue();
    } else if (value instanceof String text && text.strip().matches("-?\\d{1,18}")) {
      number = Long.parseLong(text.strip());
    } else {
      throw invalid(path, "an integer", value);
    }
    if (number < min || number > max) {
      throw new ConfigException(path + " must be between " + min + " and " + max + ", got " + number);
    }
    return (int) number;
  }

  /** Fails on any key present in the tree that no read asked for. */
  void rejectUnread() {
    List<String> unknown = new ArrayList<>();
    collectUnread(root, "", unknown);
    if (!unknown.isEmpty()) {
      throw new ConfigException("unknown config key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
    }
  }

  private void collectUnread(JsonObject node, String prefix, List<String> unknown) {
    for (Map.Entry<String, Object> entry : node) {
      String path = prefix + entry.getKey();
      if (entry.getValue() instanceof JsonObject nested && !read.contains(path)) {
        collectUnread(nested, path + ".", unknown);
      } else if (!read.contains(path)) {
        unknown.add(path);
      }
    }
  }

  private Object value(String path) {
    read.add(path);
    JsonObject node = root;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = node.getValue(parts[i]);
      if (!(next instanceof JsonObject object)) {
        throw new ConfigException("config key " + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
            + " must be an object");
      }
      node = object;
    }
    Object value = node.getValue(parts[parts.length - 1]);
    if (value == null) {
      throw new ConfigException("config key " + path + " is missing");
    }
    return value;
  }

  private static ConfigException invalid(String path, String expected, Object value) {
    String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    return new ConfigException(path + " must be " + expected + ", got " + shown);
  }
}
