package dev.wasmengine.cluster;

import dev.wasmengine.config.ClusterConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A node's labels as placement constraints see them: the configured ones, plus its name under
 * the keys OpenFaaS users already write constraints with (Swarm's {@code node.hostname},
 * Kubernetes' {@code kubernetes.io/hostname}) and its operating system ({@code node.platform.os}).
 */
final class NodeLabels {
  private NodeLabels() {}

  static Map<String, String> of(ClusterConfig config) {
    Map<String, String> labels = new HashMap<>();
    labels.put("node.name", config.nodeName());
    labels.put("node.hostname", config.nodeName());
    labels.put("kubernetes.io/hostname", config.nodeName());
    labels.put("node.platform.os", System.getProperty("os.name", "").toLowerCase(Locale.ROOT));
    labels.putAll(config.labels());
    return Map.copyOf(labels);
  }
}
