package dev.wasmengine.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Engines in their own processes forming one cluster on loopback: each node has its own HTTP
 * port, data directory and cluster address (127.0.0.1, 127.0.0.2, ...: Linux routes all of
 * 127/8 to the loopback interface, so every node binds an address of its own, as on a LAN),
 * and they find each other by TCP/IP join to the list of all their cluster addresses. A node can be killed, stopped and started again with its data.
 */
public final class EngineCluster implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(120);

  /** One node: where it listens and keeps its data, and its process while it runs. */
  public static final class Node {
    private final String name;
    private final int httpPort;
    private final String clusterHost;
    private final int clusterPort;
    private final Path dataDir;
    private final JsonObject extraConfig;
    private EngineProcess process;

    private Node(String name, int httpPort, String clusterHost, int clusterPort, Path dataDir, JsonObject extraConfig) {
      this.name = name;
      this.clusterHost = clusterHost;
      this.httpPort = httpPort;
      this.clusterPort = clusterPort;
      this.dataDir = dataDir;
      this.extraConfig = extraConfig;
    }

    public String name() {
      return name;
    }

    public Path dataDir() {
      return dataDir;
    }

    public EngineProcess process() {
      if (process == null) {
        throw new IllegalStateException("node " + name + " is not running");
      }
      return process;
    }

    public boolean running() {
      return process != null && process.isAlive();
    }
  }

  private final Path work;
  private final String clusterName = "test-" + UUID.randomUUID();
  private final Map<String, Node> nodes = new LinkedHashMap<>();

  /**
   * @param nodeConfigs each node's name and what its config adds (labels, verticles) to the
   *                    common part ({@code cluster.*}, ports, data directory)
   */
  public EngineCluster(Path work, Map<String, JsonObject> nodeConfigs) {
    this.work = work;
    nodeConfigs.forEach((name, extra) -> nodes.put(name, new Node(name, RegistryServer.freePort(),
        "127.0.0." + (nodes.size() + 1), RegistryServer.freePort(), work.resolve(name).resolve("data"), extra)));
  }

  public Node node(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no node " + name);
    }
    return node;
  }

  public EngineProcess process(String name) {
    return node(name).process();
  }

  /** Starts the nodes one after the other, each once listening (so each joins the ones before). */
  public void startAll() {
    nodes.keySet().forEach(this::start);
  }

  public EngineProcess start(String name) {
    Node node = node(name);
    if (node.running()) {
      throw new IllegalStateException("node " + name + " is already running");
    }
    Path config = work.resolve(name).resolve("config.json");
    try {
      Files.createDirectories(node.dataDir);
      Files.writeString(config, config(node).encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    node.process = EngineProcess.start(List.of("--config", config.toString(), "--data-dir", node.dataDir.toString(),
        "--preload", "none", "--execution-model", "aot"), true, true);
    node.process.awaitListening(START_DEADLINE);
    return node.process;
  }

  /** SIGKILL: the node vanishes without a word to the others. */
  public void kill(String name) {
    node(name).process().kill();
  }

  /** SIGTERM: the node leaves the cluster as an operator stops it; returns the exit code. */
  public int stop(String name) {
    return node(name).process().stop();
  }

  private JsonObject config(Node node) {
    JsonArray members = new JsonArray();
    nodes.values().forEach(other -> members.add(other.clusterHost + ":" + other.clusterPort));
    JsonObject cluster = new JsonObject()
        .put("enabled", true)
        .put("name", clusterName)
        .put("node_name", node.name)
        .put("host", node.clusterHost)
        .put("port", node.clusterPort)
        .put("members", members);
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("port", node.httpPort))
        .put("cluster", cluster);
    JsonObject extra = node.extraConfig.copy();
    JsonObject extraCluster = (JsonObject) extra.remove("cluster");
    if (extraCluster != null) {
      cluster.mergeIn(extraCluster);
    }
    return config.mergeIn(extra);
  }

  public List<String> names() {
    return new ArrayList<>(nodes.keySet());
  }

  @Override
  public void close() {
    for (Node node : nodes.values()) {
      if (node.process != null) {
        node.process.close();
      }
    }
  }
}
