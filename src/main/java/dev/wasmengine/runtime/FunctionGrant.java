package dev.wasmengine.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a function's deployment grants its guest beyond the call itself: environment variables
 * (its {@code envVars}) and the contents of the secrets it names, which the guest reads as files
 * under {@code /var/openfaas/secrets}. Nothing else of the host is visible.
 */
public record FunctionGrant(Map<String, String> env, Map<String, byte[]> secrets) {
  public static final FunctionGrant NONE = new FunctionGrant(Map.of(), Map.of());

  public FunctionGrant {
    env = Map.copyOf(env);
    Map<String, byte[]> copied = new LinkedHashMap<>();
    secrets.forEach((name, value) -> copied.put(name, value.clone()));
    secrets = Map.copyOf(copied);
  }
}
