package dev.wasmengine.config;

/**
 * @param port         0 picks a free port (tests do this)
 * @param instances    HTTP verticle instances sharing the port
 * @param maxBodyBytes requests with larger bodies are answered 413 before anything else runs
 */
public record HttpConfig(String bind, int port, int instances, long maxBodyBytes) {}
