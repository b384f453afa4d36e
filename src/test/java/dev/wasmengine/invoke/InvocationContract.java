package dev.wasmengine.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the invocation engine's tests share: an engine on one execution model with two guest
 * threads (so a function may run one call at a time and another function always has a thread),
 * two invoker shards, a short call depth, and helpers to deploy test guests and read /metrics.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InvocationContract {
  static final int MAX_DEPTH = 4;
  private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);

  Vertx vertx;
  Path work;
  RunningEngine engine;
  WebClient http;

  abstract ExecutionModel model();

  /** The invoke section of the engine's config; tests of one behaviour override parts. */
  JsonObject invokeConfig() {
    return new JsonObject()
        .put("workers", 2)
        .put("guest_threads", 2)
        .put("deadline_ms", 20_000)
        .put("timeout_ms", 60_000)
        .put("max_call_depth", MAX_DEPTH)
        .put("queue_per_function", 2);
  }

  @BeforeAll
  void startEngine(Vertx vertx, @TempDir Path work) {
    this.vertx = vertx;
    this.work = work;
    engine = startEngine(vertx, invokeConfig(), "engine");
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(engine.port()));
    JsonObject none = new JsonObject();
    deploy(engine, "gcd", Modules.example("gcd"), none);
    deploy(engine, "hello", Modules.example("hello"), none);
    deploy(engine, "counter", guest("counter"), none);
    deploy(engine, "spin", guest("spin"), none);
    deploy(engine, "spin-forever", guest("spin-forever"), new JsonObject().put("timeout_ms", 1000));
    deploy(engine, "grow", guest("grow"), new JsonObject().put("max_memory_pages", 8));
    deploy(engine, "caller", guest("caller"), none);
    deploy(engine, "caller-abi1", guest("caller-abi1"), none);
    deploy(engine, "looper", guest("looper"), none);
  }

  /** An engine on {@code on}: a second engine needs a Vert.x of its own, as addresses are per Vert.x. */
  RunningEngine startEngine(Vertx on, JsonObject invoke, String name) {
    try {
      Path dir = Files.createDirectories(work.resolve(name));
      Path config = dir.resolve("config.json");
      Files.writeString(config, new JsonObject().put("invoke", invoke).encodePrettily());
      return RunningEngine.start(on, dir.resolve("data"), model(), "--config", config.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  void stopEngine() {
    http.close();
    engine.close();
  }

  /** Deploys a test guest (or example) under its own name, with extra deploy fields. */
  static JsonObject deploy(RunningEngine engine, String name, Path module, JsonObject extra) {
    JsonObject body = new JsonObject().put("function_name", name).put("function_image", module.toString());
    extra.forEach(entry -> body.put(entry.getKey(), entry.getValue()));
    HttpResponse<Buffer> response = engine.post("/function/deploy", body);
    assertEquals(200, response.statusCode(), name + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** Sends an invocation without waiting, so several can be in flight at once. */
  Future<HttpResponse<Buffer>> invokeAsync(String function, JsonObject args) {
    return http.post("/function/invoke")
        .sendJsonObject(new JsonObject().put("function_name", function).put("args", args));
  }

  static String body(HttpResponse<Buffer> response) {
    return response.bodyAsString();
  }

  /** The value of one sample of /metrics, 0 when absent; {@code labels} must all match. */
  static double metric(RunningEngine engine, String name, Map<String, String> labels) {
    String text = engine.get("/metrics").bodyAsString();
    double total = 0;
    Matcher sample = SAMPLE.matcher(text);
    while (sample.find()) {
      if (!sample.group(1).equals(name)) {
        continue;
      }
      boolean all = labels.entrySet().stream()
          .allMatch(label -> sample.group(2).contains(label.getKey() + "=\"" + label.getValue() + "\""));
      if (all) {
        total += Double.parseDouble(sample.group(3));
      }
    }
    return total;
  }

  /** Polls /metrics (bounded in count and time) until the sample has the value wanted. */
  static void awaitMetric(RunningEngine engine, String name, Map<String, String> labels, double wanted) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    double seen = -1;
    for (int polls = 0; polls < 3000 && System.nanoTime() < deadline; polls++) {
      seen = metric(engine, name, labels);
      if (seen == wanted) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
    throw new AssertionError(name + labels + " stayed at " + seen + ", never " + wanted);
  }

  static List<HttpResponse<Buffer>> all(List<Future<HttpResponse<Buffer>>> calls) {
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> call : calls) {
      responses.add(Await.result(call));
    }
    return responses;
  }

  static int count(List<HttpResponse<Buffer>> responses, int status) {
    AtomicInteger count = new AtomicInteger();
    responses.forEach(response -> {
      if (response.statusCode() == status) {
        count.incrementAndGet();
      }
    });
    return count.get();
  }

  static Path guest(String name) {
    return Modules.testGuest(name);
  }

  static void assertStatus(int status, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
  }

  static void assertMentions(HttpResponse<Buffer> response, String part) {
    assertTrue(response.bodyAsString().contains(part), "\"" + response.bodyAsString() + "\" should mention \"" + part + "\"");
  }

  // ---- pools and instance policies ---------------------------------------------------

  @Test
  void the_first_call_after_a_deploy_finds_a_warm_instance() {
    deploy(engine, "hello-warm", Modules.example("hello"), new JsonObject());
    HttpResponse<Buffer> first = engine.invoke("hello-warm", new JsonObject().put("name", "warm"));
    assertStatus(200, first);
    assertEquals("Hello, warm!", body(first));
    assertEquals("false", first.getHeader("X-Cold-Start"), "the pool was filled before the deploy answered");
    assertEquals(0.0, metric(engine, "wasmengine_cold_starts_total", Map.of("function", "hello-warm")));
    assertTrue(metric(engine, "wasmengine_instantiation_seconds_count", Map.of("function", "hello-warm", "path", "pool")) >= 1);
  }

  @Test
  void a_fresh_instance_serves_one_call_and_a_reused_one_keeps_its_state() {
    List<String> fresh = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fresh.add(body(engine.invoke("counter", new JsonObject())));
    }
    assertEquals(List.of("1", "1", "1"), fresh, "fresh: every call sees a new instance");

    HttpResponse<Buffer> updated = engine.post("/function/update",
        new JsonObject().put("function_name", "counter").put("instance_policy", "reuse"));
    assertStatus(200, updated);
    List<String> reused = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      reused.add(body(engine.invoke("counter", new JsonObject())));
    }
    assertEquals(List.of("1", "2", "3"), reused, "reuse: the instance keeps its global between calls");
  }

  @Test
  void a_wasi_command_cannot_be_reused() {
    HttpResponse<Buffer> refused = engine.post("/function/deploy", new JsonObject().put("function_name", "hello-reused")
        .put("function_image", Modules.example("hello").toString()).put("instance_policy", "reuse"));
    assertStatus(400, refused);
    assertMentions(refused, "reuse needs an ABI 1 function");
  }

  // ---- limits: each once inside, once over -------------------------------------------

  @Test
  void a_call_within_its_deadline_answers_and_one_past_it_is_stopped_with_504() {
    HttpResponse<Buffer> quick = engine.invoke("spin", new JsonObject().put("n", "1000"));
    assertStatus(200, quick);
    assertEquals(xorshift(1000), body(quick));
    for (int attempt = 0; attempt < 2; attempt++) {
      HttpResponse<Buffer> endless = engine.invoke("spin-forever", new JsonObject());
      assertStatus(504, endless);
      assertMentions(endless, "deadline");
    }
    assertEquals("6", body(engine.invoke("gcd", new JsonObject().put("a", "12").put("b", "18"))),
        "a stopped guest takes nothing down with it");
  }

  @Test
  void memory_grows_up_to_the_ceiling_and_not_past_it() {
    // grow starts with 2 pages, the host adds one for the input: 3; the ceiling is 8.
    assertEquals("grew 3 -> 8", body(engine.invoke("grow", new JsonObject().put("pages", "5"))));
    assertEquals("refused at 3", body(engine.invoke("grow", new JsonObject().put("pages", "6"))));
  }

  @Test
  void a_module_needing_more_memory_at_start_than_its_ceiling_is_refused_at_deploy() {
    HttpResponse<Buffer> refused = engine.post("/function/deploy", new JsonObject().put("function_name", "mem-pages")
        .put("function_image", guest("mem-pages").toString()).put("max_memory_pages", 1));
    assertStatus(422, refused);
    assertMentions(refused, "needs 2 pages");
    deploy(engine, "mem-pages", guest("mem-pages"), new JsonObject().put("max_memory_pages", 4));
    assertEquals("3", body(engine.invoke("mem-pages", new JsonObject())));
  }

  @Test
  void past_its_queue_a_function_refuses_calls_at_once_and_loses_none_it_accepted() {
    // One call runs (max 1 per function with two guest threads), two wait (queue 2), one is refused.
    String n = "300000000";
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(invokeAsync("spin", new JsonObject().put("n", n)));
    }
    List<HttpResponse<Buffer>> answers = all(calls);
    assertEquals(1, count(answers, 429), "exactly one refused");
    assertEquals(3, count(answers, 200), "the running and the queued calls all answered");
    String expected = xorshift(300_000_000L);
    for (HttpResponse<Buffer> answer : answers) {
      if (answer.statusCode() == 429) {
        assertEquals("1", answer.getHeader("Retry-After"));
        assertMentions(answer, "try again later");
      } else {
        assertEquals(expected, body(answer));
      }
    }
    assertTrue(metric(engine, "wasmengine_rejected_total", Map.of("function", "spin")) >= 1);
  }

  @Test
  void a_slow_function_does_not_hold_up_another() {
    // spin-forever holds one guest thread per call until its 1 s deadline; gcd gets the other thread.
    AtomicInteger slowAnswered = new AtomicInteger();
    List<Future<HttpResponse<Buffer>>> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slow.add(invokeAsync("spin-forever", new JsonObject()).onComplete(done -> slowAnswered.incrementAndGet()));
    }
    for (int i = 0; i < 20; i++) {
      assertEquals("6", body(engine.invoke("gcd", new JsonObject().put("a", "12").put("b", "18"))));
    }
    assertEquals(0, slowAnswered.get(), "all fast calls answered while the first slow one was still running");
    assertEquals(3, count(all(slow), 504));
  }

  // ---- scale to zero -------------------------------------------------------------------

  @Test
  void an_idle_function_drops_to_zero_instances_and_the_next_call_brings_it_back() {
    Vertx own = Vertx.vertx();
    RunningEngine idling = startEngine(own, invokeConfig().put("idle_ms", 300), "idling");
    try {
      deploy(idling, "hello", Modules.example("hello"), new JsonObject());
      Map<String, String> hello = Map.of("function", "hello");
      awaitMetric(idling, "wasmengine_pool_instances", hello, 0);
      HttpResponse<Buffer> back = idling.invoke("hello", new JsonObject().put("name", "again"));
      assertStatus(200, back);
      assertEquals("Hello, again!", body(back));
      assertEquals("true", back.getHeader("X-Cold-Start"));
      assertEquals(1.0, metric(idling, "wasmengine_cold_starts_total", hello));
      awaitMetric(idling, "wasmengine_pool_instances", hello, 1);
    } finally {
      idling.close();
      Await.result(own.close());
    }
  }

  // ---- other verticles and other functions ---------------------------------------------

  @Test
  void another_verticle_calls_functions_through_the_function_client() {
    FunctionClient client = new FunctionClient(engine.vertx(), java.time.Duration.ofSeconds(30));
    InvocationResult result = Await.result(client.invoke("gcd", Buffer.buffer("{\"a\":\"12\",\"b\":\"18\"}")));
    assertEquals(200, result.status());
    assertEquals("6", result.output().toString());
    dev.wasmengine.error.EngineException unknown = org.junit.jupiter.api.Assertions.assertThrows(
        dev.wasmengine.error.NotFoundException.class, () -> Await.result(client.invoke("no-such-function", Buffer.buffer("{}"))));
    assertMentions(unknown.getMessage(), "no-such-function");
    String fromVerticle = Await.result(engine.vertx().deployVerticle(new CallingVerticle("hello", "{\"name\":\"verticle\"}"))
        .compose(id -> CallingVerticle.lastOutput()));
    assertEquals("Hello, verticle!", fromVerticle);
  }

  @Test
  void a_guest_calls_another_function_on_either_abi() {
    String wasiCall = body(engine.invoke("caller", new JsonObject().put("target", "hello").put("input", "{\"name\":\"nested\"}")));
    assertEquals("ok Hello, nested!", wasiCall);
    String abi1Call = body(engine.invoke("caller-abi1", new JsonObject().put("target", "gcd").put("input", "{\"a\":\"12\",\"b\":\"18\"}")));
    assertEquals("ok 6", abi1Call);
    assertEquals("error -1", body(engine.invoke("caller", new JsonObject().put("target", "no-such-function"))));
  }

  @Test
  void a_call_loop_ends_cleanly_at_the_depth_limit() {
    HttpResponse<Buffer> loop = engine.invoke("looper", new JsonObject().put("self", "looper").put("depth", "0"));
    assertStatus(200, loop);
    assertEquals("stopped at depth " + MAX_DEPTH + " with -2", body(loop));
  }

  // ---- metrics -------------------------------------------------------------------------

  @Test
  void metrics_show_calls_latency_pools_and_queues_in_prometheus_text() {
    engine.invoke("gcd", new JsonObject().put("a", "1").put("b", "1"));
    HttpResponse<Buffer> scrape = engine.get("/metrics");
    assertStatus(200, scrape);
    assertTrue(scrape.getHeader("Content-Type").startsWith("text/plain"));
    Map<String, String> gcd = Map.of("function", "gcd");
    assertTrue(metric(engine, "wasmengine_invocations_total", Map.of("function", "gcd", "outcome", "success")) >= 1);
    assertTrue(metric(engine, "wasmengine_invocation_seconds_count", gcd) >= 1);
    assertTrue(scrape.bodyAsString().contains("wasmengine_invocation_seconds_bucket{function=\"gcd\""), "latency histogram");
    assertTrue(metric(engine, "wasmengine_pool_instances", gcd) >= 1);
    assertTrue(scrape.bodyAsString().contains("wasmengine_queue_depth{function=\"gcd\"}"));
    assertTrue(scrape.bodyAsString().contains("wasmengine_inflight_calls{function=\"gcd\"}"));
  }

  /** Marsaglia's xorshift64 from the spin guest's seed, as unsigned decimal. */
  static String xorshift(long rounds) {
    long x = 88172645463325252L;
    for (long i = 0; i < rounds; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return Long.toUnsignedString(x);
  }

  static void assertMentions(String text, String part) {
    assertTrue(text.contains(part), "\"" + text + "\" should mention \"" + part + "\"");
  }
}
