package dev.wasmengine.bus;

import dev.wasmengine.error.BadRequestException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads fields of a request body, failing with a 400 that names the field and what it must be. */
public final class JsonFields {
  private JsonFields() {}

  public static String requiredString(JsonObject body, String field) {
    return optionalString(body, field)
        .orElseThrow(() -> new BadRequestException("missing field " + field + " (a string)"));
  }

  public static Optional<String> optionalString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String text) {
      return Optional.of(text);
    }
    throw new BadRequestException("field " + field + " must be a string");
  }

  public static Optional<Boolean> optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Boolean flag) {
      return Optional.of(flag);
    }
    throw new BadRequestException("field " + field + " must be true or false");
  }

  /** An integer in [min, max], when present. */
  public static Optional<Long> optionalLong(JsonObject body, String field, long min, long max) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
        && number.longValue() >= min && number.longValue() <= max) {
      return Optional.of(number.longValue());
    }
    throw new BadRequestException("field " + field + " must be an integer from " + min + " to " + max);
  }

  public static Optional<JsonObject> optionalObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof JsonObject object) {
      return Optional.of(object);
    }
    throw new BadRequestException("field " + field + " must be an object");
  }

  /** An object whose values are all strings, as the original's {@code args}; absent means empty. */
  public static Map<String, String> stringMap(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object)) {
      throw new BadRequestException("field " + field + " must be an object of strings");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : object) {
      if (!(entry.getValue() instanceof String text)) {
        throw new BadRequestException("field " + field + "." + entry.getKey() + " must be a string");
      }
      map.put(entry.getKey(), text);
    }
    return map;
  }
}
