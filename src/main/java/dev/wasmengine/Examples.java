package dev.wasmengine;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.Local;
import dev.wasmengine.error.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Deploys the functions of a manifest (experiments/examples.json) through the normal deploy
 * path, so a fresh engine answers at once. Functions already deployed are left as they are; one
 * that fails is logged and skipped, never stopping the engine.
 */
final class Examples {
  private static final Logger LOG = Logger.getLogger(Examples.class.getName());

  private Examples() {}

  static Future<Void> preload(Vertx vertx, Path manifest, Duration timeout) {
    return vertx.executeBlocking(() -> new JsonArray(Files.readString(manifest)))
        .recover(failure -> {
          LOG.warning(() -> "no examples preloaded: cannot read " + manifest + ": " + failure.getMessage());
          return Future.succeededFuture(new JsonArray());
        })
        .compose(entries -> {
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < entries.size(); i++) {
            JsonObject entry = entries.getJsonObject(i);
            chain = chain.compose(done -> deploy(vertx, manifest.getParent(), entry, timeout));
          }
          return chain;
        });
  }

  private static Future<Void> deploy(Vertx vertx, Path base, JsonObject entry, Duration timeout) {
    String name = entry.getString("name");
    JsonObject request = new JsonObject()
        .put("function_name", name)
        .put("function_image", base.resolve(entry.getString("module")).toString())
        .put("wasi_cap", entry.getBoolean("wasi_cap"));
    return vertx.eventBus().request(Addresses.DEPLOY, request, Local.delivery(timeout.toMillis()))
        .<Void>mapEmpty()
        .recover(failure -> {
          var cause = Failures.fromReply(failure);
          if (cause.kind() != ErrorKind.CONFLICT) {
            LOG.severe(() -> "example " + name + " not deployed: " + cause.getMessage());
          }
          return Future.succeededFuture();
        });
  }
}
