package dev.wasmengine.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether and how this engine joins a cluster of engines (a Vert.x clustered event bus over
 * Hazelcast). Off by default: a single engine starts no cluster machinery at all.
 *
 * @param enabled            join a cluster
 * @param name               only members configured with the same name join each other
 * @param nodeName           how this node is shown and matched by placement constraints; unique
 * @param host               the address the cluster member and the event bus bind and advertise
 * @param publicHost         the address other nodes reach this one at, when not {@code host} (NAT)
 * @param port               the cluster member's port (TCP/IP join)
 * @param members            where to look for other members, {@code host:port}; this node may be among them
 * @param busPort            the event bus's port (0 = any free port; it is advertised through the cluster)
 * @param labels             this node's labels, matched by functions' placement constraints
 * @param heartbeat          how often members tell each other they are alive
 * @param failureDetection   how long a member may stay silent before the others declare it gone
 * @param backups            how many other members keep a copy of each cluster-wide entry
 * @param replicationTimeout how long a change waits for the other nodes to apply it before answering
 * @param beaconInterval     how often this node tells the others its load
 */
public record ClusterConfig(
    boolean enabled,
    String name,
    String nodeName,
    String host,
    String publicHost,
    int port,
    List<String> members,
    int busPort,
    Map<String, String> labels,
    Duration heartbeat,
    Duration failureDetection,
    int backups,
    Duration replicationTimeout,
    Duration beaconInterval) {

  public ClusterConfig {
    members = List.copyOf(members);
    labels = Map.copyOf(labels);
  }
}
