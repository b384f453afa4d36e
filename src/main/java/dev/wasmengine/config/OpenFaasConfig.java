package dev.wasmengine.config;

/**
 * Limits of the OpenFaaS-compatible API.
 *
 * @param asyncQueue async invocations waiting to run, engine-wide; past it the call is answered 429
 * @param logLines   output lines kept per function for {@code /system/logs}; older ones are dropped
 */
public record OpenFaasConfig(int asyncQueue, int logLines) {}
