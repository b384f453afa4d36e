package dev.wasmengine.config;

import io.vertx.core.json.JsonArray;
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

  /** A list of strings; from the environment or command line, a comma-separated string. */
  List<String> stringList(String path) {
    Object value = value(path);
    if (value instanceof String text) {
      return text.isBlank() ? List.of() : List.of(text.split("\\s*,\\s*"));
    }
    if (value instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
      return array.stream().map(String.class::cast).toList();
    }
    throw invalid(path, "a list of strings", value);
  }

  /** true or false; from the environment or command line, the words. */
  boolean bool(String path) {
    Object value = value(path);
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text && (text.equals("true") || text.equals("false"))) {
      return Boolean.parseBoolean(text);
    }
    throw invalid(path, "true or false", value);
  }

  /** A list of JSON objects (only a config file can give one). */
  List<JsonObject> objectList(String path) {
    Object value = value(path);
    if (value instanceof JsonArray array && array.stream().allMatch(JsonObject.class::isInstance)) {
      return array.stream().map(JsonObject.class::cast).map(JsonObject::copy).toList();
    }
    throw invalid(path, "a list of objects", value);
  }

  /** An object of strings; from the environment or command line, "key=value,key=value". */
  Map<String, String> stringMap(String path) {
    Object value = value(path);
    Map<String, String> map = new java.util.LinkedHashMap<>();
    if (value instanceof String text) {
      for (String pair : text.isBlank() ? new String[0] : text.split("\\s*,\\s*")) {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw invalid(path, "key=value pairs separated by commas", value);
        }
        map.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
      }
      return map;
    }
    if (value instanceof JsonObject object && object.stream().allMatch(entry -> entry.getValue() instanceof String)) {
      object.forEach(entry -> map.put(entry.getKey(), (String) entry.getValue()));
      return map;
    }
    throw invalid(path, "an object of strings", value);
  }

  /**
   * The keys of an object whose entries are read one by one afterwards (those reads mark them
   * as known); a key nothing reads is reported by {@link #rejectUnread()}.
   */
  List<String> keys(String path) {
    Object value = value(path);
    if (value instanceof JsonObject object) {
      read.remove(path);
      return List.copyOf(object.fieldNames());
    }
    throw invalid(path, "an object", value);
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

  /** A string field of an entry of an object whose keys are data (e.g. registry host:port names). */
  String entryString(String objectPath, String key, String field) {
    List<String> segments = new ArrayList<>(List.of(objectPath.split("\\.")));
    segments.add(key);
    segments.add(field);
    Object value = value(segments.toArray(String[]::new));
    if (value instanceof String text) {
      return text;
    }
    throw invalid(String.join(".", segments), "a string", value);
  }

  private Object value(String path) {
    return value(path.split("\\."));
  }

  private Object value(String... parts) {
    String path = String.join(".", parts);
    read.add(path);
    JsonObject node = root;
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
