package dev.wasmengine.config;

/** A configuration value is missing, mistyped or out of range; the message names it. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
