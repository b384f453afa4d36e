package dev.wasmengine.config;

import java.time.Duration;

/** @param deployTimeout how long a deploy (read, compile, store) may take before the caller gives up */
public record RegistryConfig(Duration deployTimeout) {}
