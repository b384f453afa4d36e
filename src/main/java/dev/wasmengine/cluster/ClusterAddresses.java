package dev.wasmengine.cluster;

/**
 * The event-bus addresses that cross nodes. Unlike the engine's own (all node-local), these are
 * registered cluster-wide: each node serves those with its own id in them, and the beacons go to all.
 */
final class ClusterAddresses {
  /** Published every beacon interval by every node: a {@link NodeBeacon}. */
  static final String BEACONS = "wasmengine.cluster.beacons";

  private ClusterAddresses() {}

  /** A call routed to this node: the message of {@code Addresses.INVOKE}, unchanged. */
  static String invoke(String nodeId) {
    return "wasmengine.node." + nodeId + ".invoke";
  }

  /** Request: a module digest ("sha256:..."); reply: the module's bytes, or NOT_FOUND. */
  static String module(String nodeId) {
    return "wasmengine.node." + nodeId + ".module";
  }

  /** A peer applied a change this node made: {@code {key, revision, node}}. */
  static String applied(String nodeId) {
    return "wasmengine.node." + nodeId + ".applied";
  }

  /** Request {@code {}}; reply: the node's beacon plus the functions it runs and their instances. */
  static String nodeStatus(String nodeId) {
    return "wasmengine.node." + nodeId + ".status";
  }
}
