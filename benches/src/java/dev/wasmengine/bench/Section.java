package dev.wasmengine.bench;

import io.vertx.core.json.JsonObject;

/** One part of a bench run: measures, with its baselines, and returns raw results as JSON. */
public interface Section {
  String name();

  JsonObject run(BenchContext context) throws Exception;
}
