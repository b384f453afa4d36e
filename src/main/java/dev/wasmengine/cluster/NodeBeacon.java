package dev.wasmengine.cluster;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * What a node tells the others about itself every beacon interval: who it is, where its HTTP API
 * is, its labels, whether it takes work, and its load.
 *
 * @param nodeId    the cluster member's id (the event bus's node id)
 * @param name      the configured node name
 * @param http      host:port of its HTTP API
 * @param labels    its labels, including the implicit ones placement matches
 * @param ready     it has caught up with the cluster's functions and takes calls
 * @param leaving   it is shutting down and takes no new calls
 * @param waiting   calls waiting in its queues
 * @param queueLimit the engine-wide bound on waiting calls
 * @param functions how many functions it holds
 */
record NodeBeacon(String nodeId, String name, String http, Map<String, String> labels, boolean ready, boolean leaving,
    int waiting, int queueLimit, int functions) {

  /** Past this share of its queue bound a node is overloaded and gets no routed calls. */
  static final double OVERLOAD_SHARE = 0.8;

  NodeBeacon {
    labels = Map.copyOf(labels);
  }

  boolean overloaded() {
    return overloaded(waiting, queueLimit);
  }

  static boolean overloaded(int waiting, int queueLimit) {
    return waiting >= Math.max(1, (int) (queueLimit * OVERLOAD_SHARE));
  }

  boolean takesWork() {
    return ready && !leaving && !overloaded();
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("node_id", nodeId)
        .put("name", name)
        .put("http", http)
        .put("labels", new JsonObject(new HashMap<>(labels)))
        .put("ready", ready)
        .put("leaving", leaving)
        .put("waiting", waiting)
        .put("queue_limit", queueLimit)
        .put("overloaded", overloaded())
        .put("functions", functions);
  }

  static NodeBeacon fromJson(JsonObject json) {
    Map<String, String> labels = new HashMap<>();
    json.getJsonObject("labels", new JsonObject()).forEach(entry -> labels.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new NodeBeacon(json.getString("node_id"), json.getString("name"), json.getString("http"), labels,
        json.getBoolean("ready", false), json.getBoolean("leaving", false), json.getInteger("waiting", 0),
        json.getInteger("queue_limit", 1), json.getInteger("functions", 0));
  }
}
