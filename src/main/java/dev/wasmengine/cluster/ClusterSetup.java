package dev.wasmengine.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.wasmengine.config.ClusterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast member and clustered event bus a node runs with: TCP/IP join to a fixed member
 * list (no multicast, no discovery), bound to one address, failure detection as configured.
 */
public final class ClusterSetup {
  /** The cluster-wide map of functions: one entry per function, its latest change. */
  static final String FUNCTIONS_MAP = "wasmengine.functions";

  /** Held so the levels stay set: java.util.logging keeps loggers only weakly. */
  private static final List<Logger> QUIETED = new ArrayList<>();

  private ClusterSetup() {}

  /**
   * Hazelcast tells a lot at INFO (banners, connections, health); the engine keeps its warnings,
   * and its note that the CP subsystem is off (the engine uses none of it) is left out.
   */
  private static synchronized void quietLogging() {
    if (QUIETED.isEmpty()) {
      Logger hazelcast = Logger.getLogger("com.hazelcast");
      hazelcast.setLevel(Level.WARNING);
      Logger cp = Logger.getLogger("com.hazelcast.cp");
      cp.setLevel(Level.SEVERE);
      QUIETED.add(hazelcast);
      QUIETED.add(cp);
    }
  }

  public static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    quietLogging();
    // Vert.x's own defaults first (the maps and locks its event bus needs), then ours.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Main's shutdown hook leaves the cluster after the engine stopped, not before.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(seconds(cluster.heartbeat().toMillis())));
    config.setProperty("hazelcast.max.no.heartbeat.seconds",
        Long.toString(seconds(cluster.failureDetection().toMillis())));
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    // A lone member would otherwise wait this long for others before it starts.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // A node cut off and back heals into one cluster within seconds, not minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    if (!cluster.publicHost().isBlank()) {
      network.setPublicAddress(cluster.publicHost() + ":" + cluster.port());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());

    config.addMapConfig(new MapConfig(FUNCTIONS_MAP).setBackupCount(cluster.backups()));
    return new HazelcastClusterManager(config);
  }

  public static EventBusOptions eventBus(ClusterConfig cluster) {
    EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(cluster.busPort());
    if (!cluster.publicHost().isBlank()) {
      options.setClusterPublicHost(cluster.publicHost());
    }
    return options;
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }
}
