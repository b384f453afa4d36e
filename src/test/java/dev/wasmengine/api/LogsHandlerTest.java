package dev.wasmengine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.logs.LogLine;
import dev.wasmengine.logs.LogVerticle;
import dev.wasmengine.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /system/logs} over real HTTP, against a real log buffer; functions "exist" by a fixed set. */
@ExtendWith(VertxExtension.class)
class LogsHandlerTest {
  static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");
  static final FunctionRef F = FunctionRef.of("f");
  static final FunctionRef TEAM_F = new FunctionRef("team", "f");
  static final FunctionRef QUIET = FunctionRef.of("quiet");
  static final Set<FunctionRef> DEPLOYED = Set.of(F, TEAM_F, QUIET, FunctionRef.of("g"));
  static final long WAIT_SECONDS = 20;

  Vertx vertx;
  String logBuffer;
  LogsHandler handler;
  WebClient web;
  HttpClientAgent http;
  int port;

  @BeforeEach
  void startServer(Vertx vertx) {
    this.vertx = vertx;
    logBuffer = Await.result(vertx.deployVerticle(new LogVerticle(100)));
    handler = new LogsHandler(vertx.eventBus(), function -> DEPLOYED.contains(function)
        ? Future.succeededFuture()
        : Future.failedFuture(new NotFoundException("function " + function + " not found")));
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    router.get("/system/logs").handler(handler);
    router.route().failureHandler(ErrorResponses::handle);
    port = Await.result(vertx.createHttpServer().requestHandler(router).listen(0)).actualPort();
    web = WebClient.create(vertx);
    http = vertx.createHttpClient();
  }

  static LogLine line(FunctionRef function, int second, String text) {
    return LogLine.of(function, function.name() + "-7d9f", T0.plusSeconds(second), text);
  }

  void publish(LogLine line) {
    vertx.eventBus().publish(Addresses.LOG_LINES, line.toJson());
  }

  HttpResponse<Buffer> get(String uri) {
    return Await.result(web.get(port, "localhost", uri).send());
  }

  static List<JsonObject> ndjson(HttpResponse<Buffer> response) {
    String body = response.bodyAsString();
    if (body == null || body.isEmpty()) {
      return List.of();
    }
    assertTrue(body.endsWith("\n"), "every line ends with a newline: " + body);
    return Arrays.stream(body.split("\n")).map(JsonObject::new).toList();
  }

  static List<String> texts(List<JsonObject> lines) {
    return lines.stream().map(line -> line.getString("text")).toList();
  }

  /** Asks again until the answer passes: published lines reach the buffer asynchronously. */
  List<JsonObject> getUntil(String uri, Predicate<List<JsonObject>> done) {
    waitFor(() -> done.test(ndjson(get(uri))), uri + " never answered as expected");
    return ndjson(get(uri));
  }

  static void waitFor(BooleanSupplier condition, String failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(failure);
      }
      Thread.onSpinWait();
    }
  }

  static void assertError(HttpResponse<Buffer> response, int status, String error, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(error, body.getString("error"));
    assertTrue(body.getString("message").contains(messagePart),
        "\"" + body.getString("message") + "\" should mention \"" + messagePart + "\"");
  }

  @Test
  void the_buffered_lines_come_back_as_ndjson_oldest_first() {
    List<LogLine> published = List.of(line(F, 1, "one"), line(F, 2, "two \"quoted\""), line(F, 3, "three"));
    published.forEach(this::publish);
    getUntil("/system/logs?name=f", lines -> texts(lines).contains("three"));

    HttpResponse<Buffer> response = get("/system/logs?name=f");
    assertEquals(200, response.statusCode());
    assertEquals("application/x-ndjson", response.getHeader("Content-Type"));
    assertEquals("chunked", response.getHeader("Transfer-Encoding"));
    assertEquals(published.stream().map(LogLine::toJson).toList(), ndjson(response));
    JsonObject first = ndjson(response).get(0);
    assertEquals(Set.of("name", "namespace", "instance", "timestamp", "text"), first.fieldNames());
    assertEquals("2026-11-27T05:00:01Z", first.getString("timestamp"));
    assertEquals("openfaas-fn", first.getString("namespace"));
  }

  @Test
  void tail_and_since_narrow_the_answer() {
    for (int i = 1; i <= 4; i++) {
      publish(line(F, i, "line " + i));
    }
    getUntil("/system/logs?name=f", lines -> texts(lines).contains("line 4"));

    assertEquals(List.of("line 3", "line 4"), texts(ndjson(get("/system/logs?name=f&tail=2"))));
    assertEquals(4, ndjson(get("/system/logs?name=f&tail=0")).size(), "OpenFaaS sends 0 for no limit");
    assertEquals(4, ndjson(get("/system/logs?name=f&tail=-1")).size(), "and -1 too");
    assertEquals(List.of("line 2", "line 3", "line 4"),
        texts(ndjson(get("/system/logs?name=f&since=2026-11-27T05:00:02Z"))), "since is inclusive");
    assertEquals(List.of("line 3", "line 4"),
        texts(ndjson(get("/system/logs?name=f&since=2026-11-27T06:00:02.000000001%2B01:00"))));
    assertEquals(List.of("line 4"),
        texts(ndjson(get("/system/logs?name=f&since=2026-11-27T05:00:02Z&tail=1&follow=false"))));
  }

  @Test
  void the_namespace_selects_the_function() {
    publish(line(TEAM_F, 1, "team line"));
    publish(line(F, 1, "default line"));
    getUntil("/system/logs?name=f&namespace=team", lines -> texts(lines).contains("team line"));
    getUntil("/system/logs?name=f", lines -> texts(lines).contains("default line"));

    assertEquals(List.of("team line"), texts(ndjson(get("/system/logs?name=f&namespace=team"))));
    assertEquals(List.of("default line"), texts(ndjson(get("/system/logs?name=f&namespace=openfaas-fn"))));
    HttpResponse<Buffer> quiet = get("/system/logs?name=quiet");
    assertEquals(200, quiet.statusCode(), "a deployed function that never logged has an empty log");
    assertEquals(List.of(), ndjson(quiet));
  }

  @Test
  void a_query_it_cannot_parse_answers_422_naming_the_parameter() {
    assertError(get("/system/logs"), 422, "bad_request", "name");
    assertError(get("/system/logs?name="), 422, "bad_request", "name");
    assertError(get("/system/logs?name=f&tail=x"), 422, "bad_request", "tail");
    assertError(get("/system/logs?name=f&tail=1.5"), 422, "bad_request", "tail");
    assertError(get("/system/logs?name=f&since=garbage"), 422, "bad_request", "since");
    assertError(get("/system/logs?name=f&since=2026-11-27"), 422, "bad_request", "since");
    assertError(get("/system/logs?name=f&follow=maybe"), 422, "bad_request", "follow");
    assertError(get("/system/logs?name=f&namespace=a%2Fb"), 422, "bad_request", "namespace");
    assertError(get("/system/logs?name=..%2Fetc"), 422, "bad_request", "name");
  }

  @Test
  void an_unknown_function_answers_404() {
    assertError(get("/system/logs?name=nope"), 404, "not_found", "nope");
    assertError(get("/system/logs?name=f&namespace=elsewhere&follow=true"), 404, "not_found", "f");
  }

  /** A streaming client: every NDJSON line it receives lands in {@link #lines}. */
  final class Follower {
    final HttpClientResponse response;
    final RecordParser parser;
    final BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();

    Follower(String uri) {
      RecordParser[] parsers = new RecordParser[1];
      response = Await.result(http.request(HttpMethod.GET, port, "localhost", uri)
          .compose(request -> request.send())
          .map(started -> {
            // Attached on the client's event loop as the head arrives, before any body chunk.
            parsers[0] = RecordParser.newDelimited("\n", started).handler(line -> lines.add(line.toJsonObject()));
            return started;
          }));
      parser = parsers[0];
    }

    JsonObject next() {
      return poll(lines);
    }

    void close() {
      Await.result(response.request().connection().close());
    }
  }

  @Test
  void following_streams_the_history_then_new_lines_until_the_client_leaves() {
    LogLine before = line(F, 1, "before");
    publish(before);
    getUntil("/system/logs?name=f", lines -> texts(lines).contains("before"));

    Follower follower = new Follower("/system/logs?name=f&follow=true");
    assertEquals(200, follower.response.statusCode());
    assertEquals("application/x-ndjson", follower.response.getHeader("Content-Type"));
    assertEquals(before.toJson(), follower.next());
    assertEquals(1, handler.following());

    publish(line(FunctionRef.of("g"), 2, "another function"));
    publish(line(TEAM_F, 2, "another namespace"));
    LogLine after = line(F, 3, "after");
    publish(after);
    assertEquals(after.toJson(), follower.next(), "only the followed function's lines, each once");
    LogLine later = line(F, 4, "later");
    publish(later);
    assertEquals(later.toJson(), follower.next());

    follower.close();
    waitFor(() -> handler.following() == 0, "the live consumer was not removed when the client left");
    publish(line(F, 5, "nobody follows"));
    assertEquals(List.of("before", "after", "later", "nobody follows"),
        texts(getUntil("/system/logs?name=f", lines -> texts(lines).contains("nobody follows"))));
    assertEquals(0, handler.following());
  }

  @Test
  void lines_logged_while_the_history_is_on_its_way_are_written_after_it_and_only_once() {
    // A stand-in buffer that answers only when told, so lines can arrive before the history does.
    Await.result(vertx.undeploy(logBuffer));
    BlockingQueue<Message<JsonObject>> queries = new LinkedBlockingQueue<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.LOGS_QUERY, queries::add).completion());

    Follower follower = new Follower("/system/logs?name=f&follow=true");
    Message<JsonObject> query = poll(queries);
    assertEquals(new JsonObject().put("name", "f").put("namespace", "openfaas-fn"), query.body());
    LogLine both = line(F, 1, "in the history and live");
    LogLine liveOnly = line(F, 2, "live only");
    publish(both);
    publish(liveOnly);
    // Sent after the two lines from this thread, so the follower holds both when the history comes.
    query.reply(new JsonObject().put("lines", new JsonArray().add(both.toJson())));
    LogLine next = line(F, 3, "next");
    publish(next);

    assertEquals(both.toJson(), follower.next());
    assertEquals(liveOnly.toJson(), follower.next());
    assertEquals(next.toJson(), follower.next(), "the line in both came once");
    follower.close();
    waitFor(() -> handler.following() == 0, "the live consumer was not removed when the client left");
  }

  @Test
  void a_follower_sees_the_status_before_any_line_exists_and_the_lines_logged_after_it() {
    Follower follower = new Follower("/system/logs?name=quiet&follow=1&tail=5");
    assertEquals(200, follower.response.statusCode(), "the head is flushed although nothing was written");
    LogLine first = line(QUIET, 1, "first words");
    publish(first);
    assertEquals(first.toJson(), follower.next());
    follower.close();
    waitFor(() -> handler.following() == 0, "the live consumer was not removed when the client left");
  }

  @Test
  void a_follower_with_since_gets_only_lines_stamped_at_or_after_it() {
    publish(line(F, 1, "old"));
    publish(line(F, 5, "recent"));
    getUntil("/system/logs?name=f", lines -> texts(lines).contains("recent"));

    Follower follower = new Follower("/system/logs?name=f&follow=true&since=2026-11-27T05:00:05Z");
    assertEquals("recent", follower.next().getString("text"));
    publish(line(F, 2, "late but stamped early"));
    publish(line(F, 6, "new"));
    assertEquals("new", follower.next().getString("text"));
    follower.close();
    waitFor(() -> handler.following() == 0, "the live consumer was not removed when the client left");
  }

  @Test
  void a_follower_that_stops_reading_loses_lines_instead_of_growing_memory() {
    Follower follower = new Follower("/system/logs?name=f&follow=true");
    follower.parser.pause();
    String big = "y".repeat(LogLine.MAX_TEXT_CHARS);
    int published = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    // Far more than socket buffers hold; the server must start dropping rather than queue it all.
    while (handler.droppedLines() == 0) {
      if (System.nanoTime() > deadline) {
        fail("no line was dropped after " + published + " lines to a client that reads nothing");
      }
      for (int i = 0; i < 200; i++) {
        publish(line(F, published, big));
        published++;
      }
      // Paced by the buffer, so the test never queues more than a batch on the event loops.
      String last = T0.plusSeconds(published - 1).toString();
      getUntil("/system/logs?name=f&tail=1", lines -> lines.size() == 1
          && lines.get(0).getString("timestamp").equals(last));
    }

    follower.parser.resume();
    List<JsonObject> received = new ArrayList<>();
    // The stream still works: once the backlog is read, a new line gets through.
    LogLine marker = line(F, 100_000, "caught up");
    waitFor(() -> {
      publish(marker);
      JsonObject next = pollQuietly(follower.lines);
      while (next != null) {
        received.add(next);
        if (next.equals(marker.toJson())) {
          return true;
        }
        next = pollQuietly(follower.lines);
      }
      return false;
    }, "the follower never caught up after it read again");
    long bigLines = received.stream().filter(line -> line.getString("text").equals(big)).count();
    assertTrue(bigLines < published, bigLines + " of " + published + " big lines arrived; some must have been dropped");
    follower.close();
    waitFor(() -> handler.following() == 0, "the live consumer was not removed when the client left");
  }

  private static <T> T poll(BlockingQueue<T> queue) {
    try {
      T item = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(item, "nothing arrived within " + WAIT_SECONDS + " s");
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonObject pollQuietly(BlockingQueue<JsonObject> queue) {
    try {
      return queue.poll(100, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
