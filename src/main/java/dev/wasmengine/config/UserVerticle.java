package dev.wasmengine.config;

import io.vertx.core.json.JsonObject;

/**
 * A verticle of the operator's own, deployed beside the engine once it serves, so that it can
 * call functions over the event bus ({@code dev.wasmengine.invoke.FunctionClient}).
 *
 * @param className the verticle's class, on the engine's class path
 * @param config    what the verticle gets as its {@code config()}
 */
public record UserVerticle(String className, JsonObject config) {
  public UserVerticle {
    config = config.copy();
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }
}
