package dev.wasmengine.api;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.Local;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.logs.LogLine;
import dev.wasmengine.logs.LogQuery;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * OpenFaaS's {@code GET /system/logs}: a function's buffered lines as NDJSON, one
 * {@link LogLine} per line. With {@code follow=true} the answer stays open and streams new
 * lines until the client goes away.
 */
public final class LogsHandler implements Handler<RoutingContext> {
  private static final Logger LOG = Logger.getLogger(LogsHandler.class.getName());
  static final String NDJSON = "application/x-ndjson";
  /**
   * Live lines held back while a follower's history is on its way. The history query is one
   * event-bus round trip, so this is only reached by a function logging wildly meanwhile.
   */
  static final int MAX_HELD_LINES = 10_000;

  private final EventBus bus;
  private final Function<FunctionRef, Future<?>> functionExists;
  private final AtomicInteger following = new AtomicInteger();
  private final AtomicLong droppedLines = new AtomicLong();

  /**
   * @param functionExists succeeds when the function is deployed, fails with a
   *     {@link dev.wasmengine.error.NotFoundException} otherwise
   */
  public LogsHandler(EventBus bus, Function<FunctionRef, Future<?>> functionExists) {
    this.bus = bus;
    this.functionExists = functionExists;
  }

  @Override
  public void handle(RoutingContext ctx) {
    LogQuery query;
    try {
      query = LogQuery.parse(ctx.queryParams());
    } catch (BadRequestException e) {
      // OpenFaaS answers a logs query it cannot parse with 422, and clients expect that.
      ErrorResponses.send(ctx, 422, "bad_request", e.getMessage());
      return;
    }
    functionExists.apply(query.function())
        .onSuccess(found -> {
          if (query.follow()) {
            new Follow(ctx, query).start();
          } else {
            answerOnce(ctx, query);
          }
        })
        .onFailure(ctx::fail);
  }

  /** Followers whose live consumer is still registered; for tests. */
  int following() {
    return following.get();
  }

  /** Lines not sent to followers that could not keep up, since this handler was made; for tests. */
  long droppedLines() {
    return droppedLines.get();
  }

  private void answerOnce(RoutingContext ctx, LogQuery query) {
    history(query)
        .onSuccess(lines -> {
          Buffer body = Buffer.buffer();
          lines.forEach(line -> body.appendString(ndjson(line)));
          startNdjson(ctx.response()).end(body);
        })
        .onFailure(ctx::fail);
  }

  private Future<List<LogLine>> history(LogQuery query) {
    return bus.<JsonObject>request(Addresses.LOGS_QUERY, query.toBusRequest(), Local.delivery())
        .map(reply -> reply.body().getJsonArray("lines").stream()
            .map(line -> LogLine.fromJson((JsonObject) line))
            .toList());
  }

  private static HttpServerResponse startNdjson(HttpServerResponse response) {
    return response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, NDJSON);
  }

  private static String ndjson(LogLine line) {
    return line.toJson().encode() + "\n";
  }

  /**
   * One client following a function's log. The live consumer is registered before the history
   * is asked for, so no line falls between the two; lines seen both ways are written once. All
   * of it runs on the event loop of the request.
   */
  private final class Follow {
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final LogQuery query;
    private MessageConsumer<Object> consumer;
    /** Live lines that came before the history; null once the history is written. */
    private List<LogLine> held = new ArrayList<>();
    /**
     * Lines not sent because the client read slower than the function logged (or too many came
     * before the history). Dropping keeps a stalled client from growing memory; the count is
     * logged when it leaves, so a gap in its stream can be explained.
     */
    private long dropped;
    private boolean finished;

    Follow(RoutingContext ctx, LogQuery query) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.query = query;
    }

    void start() {
      if (response.closed()) {
        return; // gone while we checked the function; a close handler set now would never run
      }
      startNdjson(response);
      response.closeHandler(closed -> finish());
      response.endHandler(ended -> finish());
      consumer = bus.localConsumer(Addresses.LOG_LINES, this::live);
      following.incrementAndGet();
      consumer.completion()
          // The status goes out at once: a client waits for it before it trusts the stream.
          .compose(registered -> response.writeHead())
          .compose(headWritten -> history(query))
          .onSuccess(this::catchUp)
          .onFailure(this::fail);
    }

    private void live(Message<Object> message) {
      // The name is compared first: every follower sees every line of every function.
      if (finished || !(message.body() instanceof JsonObject body)
          || !query.function().name().equals(body.getValue("name"))) {
        return;
      }
      LogLine line;
      try {
        line = LogLine.fromJson(body);
      } catch (BadRequestException e) {
        return; // the log buffer skips it too
      }
      if (!query.matches(line)) {
        return;
      }
      if (held == null) {
        write(line);
      } else if (held.size() < MAX_HELD_LINES) {
        held.add(line);
      } else {
        drop();
      }
    }

    private void catchUp(List<LogLine> history) {
      if (finished) {
        return;
      }
      // The history is bounded by the log buffer, so it is written whole even to a slow client.
      Set<LogLine> written = new HashSet<>(history);
      history.forEach(line -> response.write(ndjson(line)));
      List<LogLine> early = held;
      held = null;
      early.stream().filter(line -> !written.contains(line)).forEach(this::write);
    }

    private void write(LogLine line) {
      if (response.writeQueueFull()) {
        drop();
        return;
      }
      response.write(ndjson(line));
    }

    private void drop() {
      dropped++;
      droppedLines.incrementAndGet();
    }

    private void fail(Throwable failure) {
      if (finished) {
        return; // the client left; nobody is there to tell
      }
      finish();
      ctx.fail(failure);
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      // Counted down only once the bus has really dropped the consumer.
      consumer.unregister().onComplete(unregistered -> following.decrementAndGet());
      if (dropped > 0) {
        LOG.info(() -> "a follower of " + query.function() + "'s log missed " + dropped
            + " line(s): it read slower than the function logged");
      }
    }
  }
}
