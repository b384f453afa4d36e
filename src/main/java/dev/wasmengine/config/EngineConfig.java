package dev.wasmengine.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the engine is configured with, validated once by {@link ConfigLoader} at start.
 *
 * @param dataDir         where modules and function metadata persist
 * @param preloadManifest a JSON list of functions deployed at start when missing (the examples)
 * @param auth            whether and with which credential files the HTTP API asks for basic auth
 * @param openfaas        limits of the OpenFaaS-compatible API
 * @param cluster         whether and how the engine joins a cluster of engines
 * @param verticles       the operator's own verticles, deployed once the engine serves
 */
public record EngineConfig(
    HttpConfig http,
    Path dataDir,
    RuntimeConfig runtime,
    InvokeConfig invoke,
    RegistryConfig registry,
    Optional<Path> preloadManifest,
    AuthConfig auth,
    OpenFaasConfig openfaas,
    ClusterConfig cluster,
    List<UserVerticle> verticles) {

  public EngineConfig {
    verticles = List.copyOf(verticles);
  }
}
