package dev.wasmengine.cluster;

import dev.wasmengine.store.PlacementConstraints;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * What this node knows of the others: the cluster's members (from the cluster manager) and the
 * last beacon of each. A peer gets routed calls only while it is a member, its beacon is fresh,
 * and it says it takes work. Read from several verticles, so thread-safe.
 */
final class ClusterView {
  private record Seen(NodeBeacon beacon, long atNanos) {}

  private final String selfId;
  private final long staleNanos;
  private final Set<String> members = ConcurrentHashMap.newKeySet();
  private final Map<String, Seen> beacons = new ConcurrentHashMap<>();
  /** Each member's name, kept while it is a member even when its beacons stop. */
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, String>> departureListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong turn = new AtomicLong();

  ClusterView(String selfId, long staleNanos) {
    this.selfId = selfId;
    this.staleNanos = staleNanos;
  }

  String selfId() {
    return selfId;
  }

  void memberJoined(String nodeId) {
    members.add(nodeId);
  }

  void memberLeft(String nodeId) {
    members.remove(nodeId);
    beacons.remove(nodeId);
    String name = nameOf(nodeId);
    names.remove(nodeId);
    departureListeners.forEach(listener -> listener.accept(nodeId, name));
  }

  /** Runs {@code listener} with the id and name of every member that leaves or is declared dead. */
  void onDeparture(BiConsumer<String, String> listener) {
    departureListeners.add(listener);
  }

  void beacon(NodeBeacon beacon) {
    if (members.contains(beacon.nodeId())) {
      beacons.put(beacon.nodeId(), new Seen(beacon, System.nanoTime()));
      names.put(beacon.nodeId(), beacon.name());
    }
  }

  /** A peer that stopped answering is passed over until its next beacon. */
  void suspect(String nodeId) {
    beacons.remove(nodeId);
  }

  Set<String> memberIds() {
    return Set.copyOf(members);
  }

  /** The members other than this node that have caught up and take work: they must apply each change. */
  Set<String> readyPeers() {
    return beacons.entrySet().stream()
        .filter(entry -> !entry.getKey().equals(selfId) && members.contains(entry.getKey()))
        .filter(entry -> entry.getValue().beacon().ready())
        .map(Map.Entry::getKey)
        .collect(java.util.stream.Collectors.toSet());
  }

  List<NodeBeacon> beacons() {
    return beacons.values().stream().map(Seen::beacon).sorted(Comparator.comparing(NodeBeacon::name)).toList();
  }

  /** The member's name, or its id until its first beacon. */
  String nameOf(String nodeId) {
    return names.getOrDefault(nodeId, nodeId);
  }

  /**
   * The peer a call goes to when it does not run here: among fresh peers that take work and
   * whose labels the function's constraints allow, the least loaded, taking turns among equals.
   */
  Optional<NodeBeacon> pickPeer(PlacementConstraints constraints, Set<String> excluded) {
    long now = System.nanoTime();
    List<NodeBeacon> candidates = beacons.entrySet().stream()
        .filter(entry -> !entry.getKey().equals(selfId) && !excluded.contains(entry.getKey()))
        .filter(entry -> members.contains(entry.getKey()) && now - entry.getValue().atNanos() < staleNanos)
        .map(entry -> entry.getValue().beacon())
        .filter(beacon -> beacon.takesWork() && constraints.allows(beacon.labels()))
        .sorted(Comparator.comparing(NodeBeacon::nodeId))
        .toList();
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    int least = candidates.stream().mapToInt(NodeBeacon::waiting).min().orElse(0);
    List<NodeBeacon> leastLoaded = candidates.stream().filter(beacon -> beacon.waiting() == least).toList();
    return Optional.of(leastLoaded.get((int) Math.floorMod(turn.getAndIncrement(), (long) leastLoaded.size())));
  }
}
