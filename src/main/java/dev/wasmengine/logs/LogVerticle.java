package dev.wasmengine.logs;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Keeps the newest lines of every function in memory, for {@code GET /system/logs}. Lines come
 * published on {@link Addresses#LOG_LINES}; queries on {@link Addresses#LOGS_QUERY} read them
 * back. Everything runs on this verticle's event loop, so the buffers need no locking.
 *
 * <p>A query's {@code since} is inclusive: lines stamped at or after it are answered. A client
 * that resumes with the timestamp of the last line it saw then gets that line again rather than
 * missing others logged in the same instant; a duplicate is easier to spot than a loss.
 */
public final class LogVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(LogVerticle.class.getName());
  /**
   * Lines are buffered for any name they carry, deployed or not; past this many functions the
   * buffer touched longest ago goes, so stray names cannot grow memory without bound.
   */
  public static final int MAX_FUNCTIONS = 100_000;

  private final int linesPerFunction;
  private final int maxFunctions;
  /** By {@link FunctionRef#key()}, in access order: the first entry is the one touched longest ago. */
  private final Map<String, ArrayDeque<LogLine>> buffers;

  public LogVerticle(int linesPerFunction) {
    this(linesPerFunction, MAX_FUNCTIONS);
  }

  /** With a smaller function cap, so a test can reach it. */
  LogVerticle(int linesPerFunction, int maxFunctions) {
    if (linesPerFunction < 1 || maxFunctions < 1) {
      throw new IllegalArgumentException("linesPerFunction and maxFunctions must be positive");
    }
    this.linesPerFunction = linesPerFunction;
    this.maxFunctions = maxFunctions;
    this.buffers = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<LogLine>> eldest) {
        return size() > LogVerticle.this.maxFunctions;
      }
    };
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().localConsumer(Addresses.LOG_LINES, this::keep);
    vertx.eventBus().localConsumer(Addresses.LOGS_QUERY, this::query);
    vertx.eventBus().localConsumer(Addresses.FUNCTION_CHANGED, this::forgetDeleted);
    return Future.succeededFuture();
  }

  /** Publishers cannot be told about a bad line (nobody replies to a publish), so it is skipped. */
  private void keep(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      LOG.fine("skipped a log line that is not a JSON object");
      return;
    }
    LogLine line;
    try {
      line = LogLine.fromJson(body);
    } catch (BadRequestException e) {
      LOG.fine(() -> "skipped a malformed log line: " + e.getMessage());
      return;
    }
    ArrayDeque<LogLine> buffer = buffers.computeIfAbsent(line.function().key(), key -> new ArrayDeque<>());
    if (buffer.size() == linesPerFunction) {
      buffer.removeFirst();
    }
    buffer.addLast(line);
  }

  private void query(Message<Object> message) {
    try {
      if (!(message.body() instanceof JsonObject body)) {
        throw new BadRequestException("a logs query must be a JSON object");
      }
      message.reply(new JsonObject().put("lines", answer(body)));
    } catch (BadRequestException e) {
      Failures.reply(message, e);
    }
  }

  private JsonArray answer(JsonObject request) {
    String name = JsonFields.requiredString(request, "name");
    String namespace = JsonFields.optionalString(request, "namespace")
        .filter(ns -> !ns.isEmpty())
        .orElse(FunctionRef.DEFAULT_NAMESPACE);
    FunctionRef function = new FunctionRef(namespace, name);
    Optional<Long> tail = JsonFields.optionalLong(request, "tail", 0, Integer.MAX_VALUE);
    Optional<Instant> since = JsonFields.optionalString(request, "since")
        .map(text -> LogLine.parseTimestamp("field since", text));

    ArrayDeque<LogLine> buffer = buffers.get(function.key());
    if (buffer == null) {
      return new JsonArray();
    }
    List<LogLine> kept = buffer.stream()
        .filter(line -> since.isEmpty() || !line.timestamp().isBefore(since.get()))
        .toList();
    int from = tail.map(last -> Math.max(0, kept.size() - last.intValue())).orElse(0);
    JsonArray lines = new JsonArray();
    kept.subList(from, kept.size()).forEach(line -> lines.add(line.toJson()));
    return lines;
  }

  /** A deleted function's lines go with it; a redeploy under the same name starts empty. */
  private void forgetDeleted(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !"deleted".equals(body.getValue("change"))) {
      return;
    }
    try {
      buffers.remove(FunctionRef.from(body).key());
    } catch (BadRequestException e) {
      LOG.fine(() -> "ignored a malformed function change: " + e.getMessage());
    }
  }
}
