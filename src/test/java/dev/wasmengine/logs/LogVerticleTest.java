package dev.wasmengine.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.ErrorKind;
import dev.wasmengine.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The log buffer over the event bus. Lines are published and become visible asynchronously, so
 * each test first waits (bounded) for its last published line, then checks the whole answer:
 * one publisher's lines reach the buffer in order, so everything before that line is in too.
 */
@ExtendWith(VertxExtension.class)
class LogVerticleTest {
  static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");
  static final FunctionRef F = FunctionRef.of("f");

  static LogLine line(FunctionRef function, int second, String text) {
    return LogLine.of(function, "f-1", T0.plusSeconds(second), text);
  }

  static void publish(EventBus bus, LogLine line) {
    bus.publish(Addresses.LOG_LINES, line.toJson());
  }

  static JsonObject request(FunctionRef function) {
    return new JsonObject().put("name", function.name()).put("namespace", function.namespace());
  }

  static List<String> texts(JsonArray lines) {
    return lines.stream().map(line -> ((JsonObject) line).getString("text")).toList();
  }

  static JsonArray query(EventBus bus, JsonObject request) {
    return Await.result(bus.<JsonObject>request(Addresses.LOGS_QUERY, request)).body().getJsonArray("lines");
  }

  /** Asks again until the answer passes; each ask is a round trip through the buffer's event loop. */
  static JsonArray queryUntil(EventBus bus, JsonObject request, Predicate<JsonArray> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonArray lines = query(bus, request);
    while (!done.test(lines)) {
      if (System.nanoTime() > deadline) {
        fail("the buffer never answered as expected; last answer: " + lines.encode());
      }
      lines = query(bus, request);
    }
    return lines;
  }

  static Predicate<JsonArray> containsText(String text) {
    return lines -> texts(lines).contains(text);
  }

  static EventBus deploy(Vertx vertx, LogVerticle verticle) {
    Await.result(vertx.deployVerticle(verticle));
    return vertx.eventBus();
  }

  @Test
  void each_function_keeps_only_its_newest_lines_oldest_first(Vertx vertx) {
    EventBus bus = deploy(vertx, new LogVerticle(3));
    for (int i = 1; i <= 5; i++) {
      publish(bus, line(F, i, "line " + i));
    }
    JsonArray lines = queryUntil(bus, request(F), containsText("line 5"));
    assertEquals(List.of("line 3", "line 4", "line 5"), texts(lines));
    assertEquals(line(F, 3, "line 3").toJson(), lines.getJsonObject(0), "a line comes back as it was published");
  }

  @Test
  void tail_answers_the_last_lines_and_since_those_stamped_at_or_after_it(Vertx vertx) {
    EventBus bus = deploy(vertx, new LogVerticle(10));
    for (int i = 1; i <= 4; i++) {
      publish(bus, line(F, i, "line " + i));
    }
    queryUntil(bus, request(F), containsText("line 4"));

    assertEquals(List.of("line 3", "line 4"), texts(query(bus, request(F).put("tail", 2))));
    assertEquals(List.of(), texts(query(bus, request(F).put("tail", 0))));
    assertEquals(4, query(bus, request(F).put("tail", 100)).size());
    String second = T0.plusSeconds(2).toString();
    assertEquals(List.of("line 2", "line 3", "line 4"), texts(query(bus, request(F).put("since", second))),
        "since is inclusive");
    assertEquals(List.of("line 3", "line 4"),
        texts(query(bus, request(F).put("since", T0.plusSeconds(2).plusNanos(1).toString()))));
    assertEquals(List.of("line 3", "line 4"),
        texts(query(bus, request(F).put("since", "2026-11-27T06:00:02.5+01:00"))), "an offset counts");
    assertEquals(List.of("line 4"), texts(query(bus, request(F).put("since", second).put("tail", 1))),
        "since first, then the tail of what is left");
  }

  @Test
  void functions_are_kept_apart_by_namespace_and_name(Vertx vertx) {
    EventBus bus = deploy(vertx, new LogVerticle(10));
    FunctionRef otherNamespace = new FunctionRef("team", "f");
    publish(bus, line(otherNamespace, 1, "team line"));
    publish(bus, line(FunctionRef.of("g"), 1, "g line"));
    publish(bus, line(F, 1, "f line"));
    queryUntil(bus, request(F), containsText("f line"));

    assertEquals(List.of("f line"), texts(query(bus, new JsonObject().put("name", "f"))),
        "no namespace means the default one");
    assertEquals(List.of("team line"), texts(query(bus, request(otherNamespace))));
    assertEquals(List.of(), texts(query(bus, request(FunctionRef.of("never-logged")))));
  }

  @Test
  void deleting_a_function_drops_its_lines_and_other_changes_keep_them(Vertx vertx) {
    EventBus bus = deploy(vertx, new LogVerticle(10));
    FunctionRef g = FunctionRef.of("g");
    publish(bus, line(F, 1, "f before"));
    publish(bus, line(g, 1, "g before"));
    queryUntil(bus, request(g), containsText("g before"));

    bus.publish(Addresses.FUNCTION_CHANGED, F.toJson().put("change", "updated"));
    bus.publish(Addresses.FUNCTION_CHANGED, g.toJson().put("change", "deleted"));
    queryUntil(bus, request(g), JsonArray::isEmpty);
    assertEquals(List.of("f before"), texts(query(bus, request(F))));

    publish(bus, line(g, 2, "g after"));
    assertEquals(List.of("g after"), texts(queryUntil(bus, request(g), containsText("g after"))),
        "a function deployed again starts with an empty log");
  }

  @Test
  void malformed_lines_are_skipped_and_long_texts_cut(Vertx vertx) {
    EventBus bus = deploy(vertx, new LogVerticle(10));
    bus.publish(Addresses.LOG_LINES, "not json");
    bus.publish(Addresses.LOG_LINES, line(F, 1, "no timestamp").toJson().putNull("timestamp"));
    bus.publish(Addresses.LOG_LINES, line(F, 1, "bad timestamp").toJson().put("timestamp", "yesterday"));
    bus.publish(Addresses.LOG_LINES, line(F, 1, "bad name").toJson().put("name", "../f"));
    bus.publish(Addresses.LOG_LINES, line(F, 1, "no text").toJson().putNull("text"));
    String longText = "x".repeat(LogLine.MAX_TEXT_CHARS + 100);
    publish(bus, line(F, 2, longText));
    publish(bus, line(F, 3, "good"));

    List<String> texts = texts(queryUntil(bus, request(F), containsText("good")));
    assertEquals(2, texts.size(), texts.toString());
    assertEquals("x".repeat(LogLine.MAX_TEXT_CHARS), texts.get(0));
  }

  @Test
  void past_the_function_cap_the_buffer_touched_longest_ago_goes(Vertx vertx) {
    EventBus bus = deploy(vertx, new LogVerticle(10, 2));
    FunctionRef a = FunctionRef.of("a");
    FunctionRef b = FunctionRef.of("b");
    FunctionRef c = FunctionRef.of("c");
    publish(bus, line(a, 1, "a"));
    publish(bus, line(b, 1, "b"));
    queryUntil(bus, request(b), containsText("b"));
    query(bus, request(a)); // a is now touched more recently than b

    publish(bus, line(c, 1, "c"));
    queryUntil(bus, request(c), containsText("c"));
    assertEquals(List.of(), texts(query(bus, request(b))));
    assertEquals(List.of("a"), texts(query(bus, request(a))));
  }

  @Test
  void a_bad_query_fails_with_the_bad_request_code_naming_the_field(Vertx vertx) {
    EventBus bus = deploy(vertx, new LogVerticle(10));
    assertBadQuery(bus, new JsonObject(), "name");
    assertBadQuery(bus, new JsonObject().put("name", "../etc"), "function name");
    assertBadQuery(bus, request(F).put("namespace", "a/b"), "namespace");
    assertBadQuery(bus, request(F).put("tail", -1), "tail");
    assertBadQuery(bus, request(F).put("tail", "3"), "tail");
    assertBadQuery(bus, request(F).put("since", "2026-13-01"), "since");
    assertBadQuery(bus, "not an object", "JSON object");
  }

  private static void assertBadQuery(EventBus bus, Object request, String messagePart) {
    ReplyException failure = assertThrows(ReplyException.class,
        () -> Await.result(bus.request(Addresses.LOGS_QUERY, request)));
    assertEquals(ErrorKind.BAD_REQUEST.code(), failure.failureCode(), failure.getMessage());
    assertTrue(failure.getMessage().contains(messagePart),
        "\"" + failure.getMessage() + "\" should mention \"" + messagePart + "\"");
  }
}
