package dev.wasmengine.invoke;

import io.vertx.core.buffer.Buffer;

/**
 * What a function answered.
 *
 * @param status    200 for an answer (the HTTP ABI will set others)
 * @param coldStart whether the call had to instantiate on its own path
 */
public record InvocationResult(int status, Buffer output, boolean coldStart) {}
