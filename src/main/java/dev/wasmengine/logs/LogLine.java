package dev.wasmengine.logs;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One line a function logged, as OpenFaaS's log messages carry it:
 * {@code {name, namespace, instance, timestamp, text}}, the timestamp RFC 3339 in UTC.
 */
public record LogLine(String name, String namespace, String instance, Instant timestamp, String text) {
  /**
   * Longer texts are cut: a guest can write a megabyte without a newline, and every buffered
   * line must stay small for the per-function buffers to bound memory.
   */
  public static final int MAX_TEXT_CHARS = 8192;

  public LogLine {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(timestamp, "timestamp");
    text = cut(Objects.requireNonNull(text, "text"));
  }

  public static LogLine of(FunctionRef function, String instance, Instant timestamp, String text) {
    return new LogLine(function.name(), function.namespace(), instance, timestamp, text);
  }

  /**
   * Reads a line; name, timestamp and text are required, namespace defaults like everywhere else
   * and instance to empty (the engine may not know which instance wrote a line).
   *
   * @throws BadRequestException when a field is missing or has the wrong form
   */
  public static LogLine fromJson(JsonObject json) {
    String name = JsonFields.requiredString(json, "name");
    String namespace = JsonFields.optionalString(json, "namespace")
        .filter(ns -> !ns.isEmpty())
        .orElse(FunctionRef.DEFAULT_NAMESPACE);
    FunctionRef function = new FunctionRef(namespace, name);
    String instance = JsonFields.optionalString(json, "instance").orElse("");
    Instant timestamp = parseTimestamp("field timestamp", JsonFields.requiredString(json, "timestamp"));
    return of(function, instance, timestamp, JsonFields.requiredString(json, "text"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("namespace", namespace)
        .put("instance", instance)
        // Instant.toString is RFC 3339 in UTC, with as many fraction digits as the nanoseconds need.
        .put("timestamp", timestamp.toString())
        .put("text", text);
  }

  public FunctionRef function() {
    return new FunctionRef(namespace, name);
  }

  /**
   * Parses an RFC 3339 date-time ({@code 2026-11-27T05:00:00Z}, with or without fractional
   * seconds, {@code Z} or a numeric offset).
   *
   * @param field named in the failure, so the caller learns which value was wrong
   * @throws BadRequestException when the text is not such a date-time
   */
  public static Instant parseTimestamp(String field, String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadRequestException(field + " must be an RFC 3339 date-time such as 2026-11-27T05:00:00Z, got \""
          + text + "\"", e);
    }
  }

  /** Cuts at the limit, but never between the two halves of a surrogate pair. */
  private static String cut(String text) {
    if (text.length() <= MAX_TEXT_CHARS) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
    return text.substring(0, end);
  }
}
