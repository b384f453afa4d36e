package dev.wasmengine.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Whether an instance serves one invocation or many. */
public enum InstancePolicy {
  /** One invocation per instance, then discarded: no state leaks between calls. */
  FRESH,
  /** An instance serves call after call and keeps its state, like a warm container. */
  REUSE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<InstancePolicy> parse(String name) {
    return Arrays.stream(values()).filter(policy -> policy.wireName().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(InstancePolicy::wireName).toList();
  }
}
