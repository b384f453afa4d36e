package dev.wasmengine.logs;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The query of OpenFaaS's {@code GET /system/logs}: {@code name}, and optionally
 * {@code namespace}, {@code tail}, {@code since} and {@code follow}. An empty value counts as
 * absent, as it does for the OpenFaaS gateway.
 *
 * @param tail the last N lines; empty for all of them
 * @param since only lines stamped at or after this instant
 * @param follow keep the answer open and stream new lines
 */
public record LogQuery(FunctionRef function, OptionalInt tail, Optional<Instant> since, boolean follow) {
  /** The spellings Go's strconv.ParseBool accepts, which is what OpenFaaS clients send. */
  private static final Set<String> TRUE = Set.of("true", "True", "TRUE", "t", "T", "1");
  private static final Set<String> FALSE = Set.of("false", "False", "FALSE", "f", "F", "0");

  /** @throws BadRequestException naming the first parameter that is missing or wrong */
  public static LogQuery parse(MultiMap params) {
    String name = present(params, "name")
        .orElseThrow(() -> new BadRequestException("query parameter name is required"));
    String namespace = present(params, "namespace").orElse(FunctionRef.DEFAULT_NAMESPACE);
    requireValidName("name", name);
    requireValidName("namespace", namespace);
    return new LogQuery(new FunctionRef(namespace, name), tail(params), since(params), follow(params));
  }

  /** The request for {@link dev.wasmengine.bus.Addresses#LOGS_QUERY}. */
  public JsonObject toBusRequest() {
    JsonObject request = new JsonObject().put("name", function.name()).put("namespace", function.namespace());
    tail.ifPresent(last -> request.put("tail", last));
    since.ifPresent(instant -> request.put("since", instant.toString()));
    return request;
  }

  /** Whether a live line belongs to this query: the same function, and not before {@code since}. */
  public boolean matches(LogLine line) {
    return line.name().equals(function.name())
        && line.namespace().equals(function.namespace())
        && since.map(start -> !line.timestamp().isBefore(start)).orElse(true);
  }

  private static Optional<String> present(MultiMap params, String param) {
    return Optional.ofNullable(params.get(param)).filter(value -> !value.isEmpty());
  }

  private static void requireValidName(String param, String value) {
    if (!FunctionNames.isValid(value)) {
      throw new BadRequestException("query parameter " + param + " must be " + FunctionNames.RULE);
    }
  }

  /** OpenFaaS clients send 0 or -1 to mean "no limit" (faas-cli's default is -1). */
  private static OptionalInt tail(MultiMap params) {
    Optional<String> text = present(params, "tail");
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    int lines;
    try {
      lines = Integer.parseInt(text.get());
    } catch (NumberFormatException e) {
      throw new BadRequestException("query parameter tail must be a whole number of lines, got \"" + text.get() + "\"");
    }
    return lines > 0 ? OptionalInt.of(lines) : OptionalInt.empty();
  }

  private static Optional<Instant> since(MultiMap params) {
    return present(params, "since").map(text -> LogLine.parseTimestamp("query parameter since", text));
  }

  private static boolean follow(MultiMap params) {
    Optional<String> text = present(params, "follow");
    if (text.isEmpty() || FALSE.contains(text.get())) {
      return false;
    }
    if (TRUE.contains(text.get())) {
      return true;
    }
    throw new BadRequestException("query parameter follow must be true or false, got \"" + text.get() + "\"");
  }
}
