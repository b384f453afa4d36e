package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.Local;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Publishes a function's log lines (its guest's stderr, and the engine's own lines about it) on
 * {@link Addresses#LOG_LINES}, where the log buffer keeps them for {@code /system/logs}.
 */
final class FunctionLogs {
  /** The instance name of lines the engine itself writes about a function. */
  static final String ENGINE = "engine";

  private final EventBus bus;

  FunctionLogs(EventBus bus) {
    this.bus = bus;
  }

  /** One line per line of the guest's stderr; a last line without its newline counts too. */
  void guestOutput(FunctionRef function, String instance, byte[] stderr) {
    if (stderr.length == 0) {
      return;
    }
    Instant now = Instant.now();
    String text = new String(stderr, StandardCharsets.UTF_8);
    for (String line : text.split("\r?\n")) {
      if (!line.isEmpty()) {
        publish(function, instance, now, line);
      }
    }
  }

  void engine(FunctionRef function, String text) {
    publish(function, ENGINE, Instant.now(), text);
  }

  private void publish(FunctionRef function, String instance, Instant at, String text) {
    bus.publish(Addresses.LOG_LINES, new JsonObject()
        .put("name", function.name())
        .put("namespace", function.namespace())
        .put("instance", instance)
        .put("timestamp", at.toString())
        .put("text", text), Local.delivery());
  }
}
