package dev.wasmengine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.testing.Await;
import dev.wasmengine.testing.EngineCluster;
import dev.wasmengine.testing.EngineProcess;
import dev.wasmengine.testing.Images;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RegistryServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three engines in three processes on loopback, joined into one cluster (TCP/IP join), driven
 * only through their HTTP APIs and one event-bus client verticle, and killed, stopped and
 * restarted as an operator would.
 */
class ClusterProcessTest {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  /** Calls in flight at once in the load tests. */
  private static final int LOAD_THREADS = 3;

  @TempDir
  Path work;

  private EngineCluster cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private EngineCluster startCluster(Map<String, JsonObject> nodes) {
    cluster = new EngineCluster(work, nodes);
    cluster.startAll();
    cluster.names().forEach(name -> awaitMembers(name, Set.copyOf(cluster.names())));
    return cluster;
  }

  private EngineCluster startThree() {
    Map<String, JsonObject> nodes = new LinkedHashMap<>();
    nodes.put("a", new JsonObject());
    nodes.put("b", edgeNode());
    nodes.put("c", edgeNode());
    return startCluster(nodes);
  }

  private static JsonObject edgeNode() {
    return new JsonObject().put("cluster", new JsonObject().put("labels", new JsonObject().put("tier", "edge")));
  }

  // ---- helpers ------------------------------------------------------------------------

  private EngineProcess node(String name) {
    return cluster.process(name);
  }

  private static JsonObject function(String name, String guest) {
    return new JsonObject().put("service", name).put("image", Modules.testGuest(guest).toString());
  }

  private HttpResponse<String> deploy(String on, JsonObject deployment) {
    return node(on).post("/system/functions", deployment.encode());
  }

  private void deployed(String on, JsonObject deployment) {
    HttpResponse<String> answer = deploy(on, deployment);
    assertEquals(202, answer.statusCode(), answer.body());
  }

  private HttpResponse<String> call(String on, String function) {
    return node(on).post("/function/" + function, "{\"hello\":\"cluster\"}");
  }

  private static String servedBy(HttpResponse<String> answer) {
    return answer.headers().firstValue("X-Served-By").orElse("");
  }

  private JsonObject clusterStatus(String on) {
    HttpResponse<String> answer = node(on).get("/system/cluster");
    assertEquals(200, answer.statusCode(), answer.body());
    return new JsonObject(answer.body());
  }

  /** The names of the members a node sees as ready. */
  private Set<String> readyMembers(String on) {
    return clusterStatus(on).getJsonArray("members").stream()
        .map(JsonObject.class::cast)
        .filter(member -> member.getBoolean("ready", false))
        .map(member -> member.getString("name"))
        .collect(Collectors.toSet());
  }

  private void awaitMembers(String on, Set<String> expected) {
    Await.eventually(on + " sees members " + expected, CONVERGENCE,
        () -> assertEquals(expected, readyMembers(on)));
  }

  /** SIGTERM: the JVM runs the engine's shutdown, then exits as terminated by the signal (128 + 15). */
  private void stopCleanly(String name) {
    assertEquals(143, cluster.stop(name));
    String output = node(name).output();
    assertFalse(output.contains("unclean shutdown"), output);
  }

  /** Waits until {@code on} no longer counts {@code gone} among the members (not merely silent). */
  private void awaitGone(String on, String gone) {
    Await.eventually(on + " drops " + gone, CONVERGENCE, () -> {
      Set<String> names = clusterStatus(on).getJsonArray("members").stream()
          .map(JsonObject.class::cast).map(member -> member.getString("name")).collect(Collectors.toSet());
      assertFalse(names.contains(gone), names.toString());
    });
  }

  private void assertEverywhere(int status, String function) {
    for (String name : cluster.names()) {
      if (cluster.node(name).running()) {
        HttpResponse<String> answer = call(name, function);
        assertEquals(status, answer.statusCode(), "calling " + function + " on " + name + ": " + answer.body());
      }
    }
  }

  // ---- the contract ------------------------------------------------------------------------

  @Test
  void a_function_deployed_on_one_node_answers_on_every_node_and_a_delete_anywhere_removes_it_everywhere() {
    startThree();
    deployed("a", function("echo", "http-echo"));
    // The deploy answers once every ready node holds the function: no waiting needed.
    for (String name : List.of("a", "b", "c")) {
      HttpResponse<String> answer = call(name, "echo");
      assertEquals(200, answer.statusCode(), answer.body());
      assertTrue(answer.body().contains("\"body\":\"{\\\"hello\\\":\\\"cluster\\\"}\""), answer.body());
      assertEquals(name, servedBy(answer), "a node allowed to run a function runs it itself");
      HttpResponse<String> status = node(name).get("/system/function/echo");
      assertEquals(200, status.statusCode(), status.body());
    }

    // An update on one node and a scale on another reach every node before they answer.
    HttpResponse<String> updated = node("b").request("PUT", "/system/functions",
        function("echo", "http-echo").put("envVars", new JsonObject().put("GREETING", "hi")).encode());
    assertEquals(202, updated.statusCode(), updated.body());
    HttpResponse<String> scaled = node("c").post("/system/scale-function/echo", "{\"serviceName\":\"echo\",\"replicas\":2}");
    assertEquals(202, scaled.statusCode(), scaled.body());
    for (String name : List.of("a", "b", "c")) {
      JsonObject status = new JsonObject(node(name).get("/system/function/echo").body());
      assertEquals("hi", status.getJsonObject("envVars").getString("GREETING"), name + ": " + status.encode());
      assertEquals(2, status.getInteger("replicas"), name + ": " + status.encode());
    }

    HttpResponse<String> deleted = node("c").request("DELETE", "/system/functions", "{\"functionName\":\"echo\"}");
    assertEquals(202, deleted.statusCode(), deleted.body());
    assertEverywhere(404, "echo");
    for (String name : List.of("a", "b", "c")) {
      assertEquals(404, node(name).get("/system/function/echo").statusCode());
    }
  }

  @Test
  void two_nodes_deploying_one_name_at_once_get_one_winner_and_one_409() throws Exception {
    startThree();
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> {
      awaitQuietly(go);
      return deploy("a", function("race", "http-plain"));
    });
    CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> {
      awaitQuietly(go);
      return deploy("b", function("race", "http-echo"));
    });
    go.countDown();
    List<Integer> statuses = List.of(onA.get().statusCode(), onB.get().statusCode());
    assertEquals(Set.of(202, 409), Set.copyOf(statuses), "a: " + onA.get().body() + " b: " + onB.get().body());
    String winner = statuses.get(0) == 202 ? "http-plain" : "http-echo";
    String loser = statuses.get(0) == 202 ? onB.get().body() : onA.get().body();
    assertTrue(loser.contains("race"), loser);
    for (String name : List.of("a", "b", "c")) {
      Await.eventually(name + " serves the winner", CONVERGENCE, () -> {
        HttpResponse<String> status = node(name).get("/system/function/race");
        assertEquals(200, status.statusCode(), status.body());
        assertTrue(new JsonObject(status.body()).getString("image").endsWith(winner + ".wasm"), status.body());
      });
    }
  }

  @Test
  void a_function_constrained_to_one_node_is_warm_only_there_and_reached_from_a_verticle_on_another() {
    int clientPort = RegistryServer.freePort();
    Map<String, JsonObject> nodes = new LinkedHashMap<>();
    nodes.put("a", new JsonObject());
    nodes.put("b", new JsonObject());
    nodes.put("c", new JsonObject().put("verticles", new JsonArray().add(new JsonObject()
        .put("class", BusClientVerticle.class.getName())
        .put("config", new JsonObject().put("port", clientPort)))));
    startCluster(nodes);
    deployed("b", function("only-a", "http-echo").put("constraints", new JsonArray().add("node.name == a")));

    HttpResponse<String> viaBus = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort + "/call/only-a")).GET());
    assertEquals(200, viaBus.statusCode(), viaBus.body());
    assertTrue(viaBus.body().contains("from a verticle"), viaBus.body());
    assertEquals("a", servedBy(viaBus));
    for (String name : List.of("b", "c")) {
      HttpResponse<String> answer = call(name, "only-a");
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals("a", servedBy(answer), "routed from " + name);
    }

    JsonObject status = clusterStatus("c");
    for (Object member : status.getJsonArray("members")) {
      JsonObject node = (JsonObject) member;
      JsonObject running = node.getJsonObject("running", new JsonObject()).getJsonObject("openfaas-fn/only-a");
      int warm = running == null ? 0 : running.getInteger("warm", 0);
      if (node.getString("name").equals("a")) {
        assertTrue(warm >= 1, "a keeps the function warm: " + node.encode());
      } else {
        assertEquals(0, warm, node.getString("name") + " keeps no instance: " + node.encode());
      }
    }

    HttpResponse<String> nowhere = deploy("a", function("nowhere", "http-plain")
        .put("constraints", new JsonArray().add("tier == moon")));
    assertEquals(202, nowhere.statusCode(), nowhere.body());
    HttpResponse<String> refused = call("b", "nowhere");
    assertEquals(503, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("tier==moon"), refused.body());
    HttpResponse<String> malformed = deploy("a", function("bad", "http-plain")
        .put("constraints", new JsonArray().add("tier ~ edge")));
    assertEquals(400, malformed.statusCode(), malformed.body());
  }

  @Test
  void a_killed_node_fails_only_the_calls_it_held_then_the_survivors_serve_and_it_rejoins_with_every_function() {
    startThree();
    // Runs on b or c only, so calls arriving at a are routed.
    deployed("a", function("edge", "http-plain").put("constraints", new JsonArray().add("tier == edge")));
    deployed("a", function("kept", "http-plain"));
    deployed("a", function("doomed", "http-plain"));

    failOverUnderLoad("kill -9", () -> cluster.kill("b"));

    // While b is down: one function arrives, another goes.
    deployed("c", function("late", "http-plain"));
    assertEquals(202, node("a").request("DELETE", "/system/functions", "{\"functionName\":\"doomed\"}").statusCode());

    cluster.start("b");
    awaitMembers("a", Set.of("a", "b", "c"));
    for (String function : List.of("edge", "kept", "late")) {
      HttpResponse<String> answer = call("b", function);
      assertEquals(200, answer.statusCode(), function + ": " + answer.body());
    }
    assertEquals(404, call("b", "doomed").statusCode());
  }

  @Test
  void a_node_that_hangs_is_declared_gone_its_calls_fail_with_503_and_it_rejoins_when_it_wakes() {
    startThree();
    deployed("a", function("edge", "http-plain").put("constraints", new JsonArray().add("tier == edge")));
    long pid = node("b").pid();
    try {
      failOverUnderLoad("SIGSTOP", () -> signal("STOP", pid));
    } finally {
      signal("CONT", pid);
    }
    deployed("c", function("while-frozen", "http-plain"));
    awaitMembers("a", Set.of("a", "b", "c"));
    Await.eventually("b serves what was deployed while it was frozen", CONVERGENCE,
        () -> assertEquals(200, call("b", "while-frozen").statusCode()));
  }

  /**
   * Calls arriving at a for a function only b and c may run, while {@code loseB} takes b away:
   * only the calls in flight on b fail, each with a 503 saying b left (no hang to the deadline,
   * no 500), and every call sent once a has dropped b is served by c. Prints what it measured.
   */
  private void failOverUnderLoad(String how, Runnable loseB) {
    try (CallLoad load = CallLoad.start(node("a").port(), "edge", LOAD_THREADS)) {
      load.awaitServedBy("b", CONVERGENCE);
      long lostAt = System.nanoTime();
      loseB.run();
      awaitGone("a", "b");
      long seenGoneAt = System.nanoTime();
      load.awaitSuccessesAfter(seenGoneAt, 50, CONVERGENCE);
      CallLoad.Summary summary = load.stop();
      System.out.printf("%s of b under load: %d calls, %d failed, last failure %d ms after it, b dropped after %d ms%n",
          how, summary.calls().size(), summary.failures(), summary.lastFailureMillisAfter(lostAt),
          (seenGoneAt - lostAt) / 1_000_000);
      assertTrue(summary.failureStatuses().stream().allMatch(status -> status == 503),
          "only unavailable answers: no call hung to its deadline (504) or the client's timeout (0), no 500: "
              + summary.failureStatuses() + " " + summary.failureBodies());
      assertTrue(summary.failureBodies().stream().allMatch(body -> body.contains("node b left the cluster")),
          summary.failureBodies().toString());
      assertTrue(summary.failures() <= LOAD_THREADS, "only the calls in flight on b fail: " + summary.failures());
      assertEquals(0, summary.failuresStartedAfter(seenGoneAt), "once b is known gone, every call succeeds");
      assertEquals(Set.of("c"), summary.servedByStartedAfter(seenGoneAt));
    }
  }

  private static void signal(String name, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void a_node_stopped_by_its_operator_under_load_loses_no_call() {
    startThree();
    deployed("a", function("edge", "http-plain").put("constraints", new JsonArray().add("tier == edge")));
    try (CallLoad load = CallLoad.start(node("a").port(), "edge", LOAD_THREADS)) {
      load.awaitServedBy("b", CONVERGENCE);
      stopCleanly("b");
      awaitMembers("a", Set.of("a", "c"));
      load.awaitSuccessesAfter(System.nanoTime(), 50, CONVERGENCE);
      CallLoad.Summary summary = load.stop();
      assertEquals(0, summary.failures(), summary.failureBodies().toString());
    }
  }

  @Test
  void the_whole_cluster_restarted_comes_back_with_every_function_and_no_deleted_one() {
    startThree();
    deployed("a", function("first", "http-plain"));
    deployed("b", function("second", "http-echo"));
    deployed("c", function("gone", "http-plain"));
    deployed("c", function("missed", "http-plain"));
    assertEquals(202, node("b").request("DELETE", "/system/functions", "{\"functionName\":\"gone\"}").statusCode());

    // c misses the delete of "missed" and, restarted first and alone, still holds it.
    stopCleanly("c");
    assertEquals(202, node("a").request("DELETE", "/system/functions", "{\"functionName\":\"missed\"}").statusCode());
    stopCleanly("a");
    stopCleanly("b");

    cluster.start("c");
    cluster.start("a");
    cluster.start("b");
    for (String name : cluster.names()) {
      awaitMembers(name, Set.of("a", "b", "c"));
    }
    assertEverywhere(200, "first");
    assertEverywhere(200, "second");
    assertEverywhere(404, "gone");
    for (String name : cluster.names()) {
      Await.eventually("the delete of missed reaches " + name, CONVERGENCE,
          () -> assertEquals(404, call(name, "missed").statusCode()));
    }
    JsonArray listed = new JsonArray(node("c").get("/system/functions").body());
    assertEquals(Set.of("first", "second"), listed.stream().map(JsonObject.class::cast)
        .map(function -> function.getString("name")).collect(Collectors.toSet()));
  }

  @Test
  void a_node_takes_a_module_from_the_registry_and_from_a_peer_once_the_registry_is_gone() {
    try (RegistryServer registry = RegistryServer.plain(work)) {
      Images.Pushed image = Images.forRegistry(work, registry)
          .pushExample("add_one", "image", "cluster/add_one:v1", Images.Format.OCI);
      JsonObject quickRegistry = new JsonObject()
          .put("registry", new JsonObject().put("timeout_ms", 5_000).put("retries", 0));
      Map<String, JsonObject> nodes = new LinkedHashMap<>();
      nodes.put("a", quickRegistry);
      nodes.put("b", quickRegistry);
      nodes.put("c", quickRegistry);
      cluster = new EngineCluster(work, nodes);
      cluster.start("a");
      cluster.start("b");
      awaitMembers("a", Set.of("a", "b"));

      deployed("a", new JsonObject().put("service", "add-one").put("image", image.ref())
          .put("annotations", new JsonObject().put("com.openfaas.abi", "command")));
      String blob = "/v2/cluster/add_one/blobs/" + image.layerDigest();
      assertEquals(2, registry.countRequests("GET", blob), "a and b each pulled the layer: " + registry.requests());
      HttpResponse<String> onA = addOne("a");
      assertEquals(200, onA.statusCode(), onA.body());
      assertEquals("42", onA.body().strip());
      assertEquals("42", addOne("b").body().strip());

      registry.stop();
      cluster.start("c");
      awaitMembers("a", Set.of("a", "b", "c"));
      HttpResponse<String> onC = addOne("c");
      assertEquals(200, onC.statusCode(), onC.body());
      assertEquals("42", onC.body().strip());
      assertEquals("c", servedBy(onC));
      assertTrue(node("c").output().contains("asking the other nodes"), node("c").output());
    }
  }

  private HttpResponse<String> addOne(String on) {
    return node(on).post("/function/add-one", "{\"n\":\"41\"}");
  }

  @Test
  void info_and_cluster_routes_show_members_their_functions_and_load_and_metrics_name_the_node() {
    startThree();
    deployed("a", function("shown", "http-plain"));
    JsonObject info = new JsonObject(node("b").get("/system/info").body());
    assertEquals("b", info.getJsonObject("cluster").getString("node"));
    assertEquals(Set.of("a", "b", "c"), info.getJsonObject("cluster").getJsonArray("members").stream()
        .map(JsonObject.class::cast).map(member -> member.getString("name")).collect(Collectors.toSet()));
    JsonObject status = clusterStatus("b");
    assertEquals(3, status.getJsonArray("members").size());
    for (Object member : status.getJsonArray("members")) {
      JsonObject node = (JsonObject) member;
      assertTrue(node.containsKey("waiting") && node.containsKey("overloaded") && node.containsKey("labels"), node.encode());
      assertTrue(node.getJsonObject("running").containsKey("openfaas-fn/shown"), node.encode());
    }
    String metrics = node("c").get("/metrics").body();
    assertTrue(metrics.contains("node=\"c\""), "metrics carry the node label");
    assertFalse(metrics.contains("node=\"a\""));
  }

  // ---- plumbing ------------------------------------------------------------------------

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
