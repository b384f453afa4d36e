package dev.wasmengine.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How images are pulled.
 *
 * @param deployTimeout    how long a deploy (pull, compile, store) may take before the caller gives up
 * @param requestTimeout   one HTTP request to a registry
 * @param retries          extra attempts after a 5xx answer or a dropped connection
 * @param insecure         registries (host[:port]) spoken to over plain http
 * @param caFile           extra CA certificates (PEM) trusted for registries, beside the JDK's
 * @param dockerConfig     a docker config.json whose {@code auths} supply credentials
 * @param credentials      credentials per registry (host[:port]), over those of dockerConfig
 * @param maxUnpackedBytes what one layer may unpack to, so a gzip bomb fails cleanly
 */
public record RegistryConfig(
    Duration deployTimeout,
    Duration requestTimeout,
    int retries,
    Set<String> insecure,
    Optional<Path> caFile,
    Optional<Path> dockerConfig,
    Map<String, RegistryCredentials> credentials,
    long maxManifestBytes,
    long maxBlobBytes,
    long maxUnpackedBytes) {}
