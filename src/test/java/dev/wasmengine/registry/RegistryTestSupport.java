package dev.wasmengine.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.testing.ExampleFunctions;
import dev.wasmengine.testing.ExampleFunctions.Example;
import dev.wasmengine.testing.ExampleFunctions.Sample;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the registry tests share: engine configs, deploy bodies, error and store assertions. */
final class RegistryTestSupport {
  static final long MAX_UNPACKED_BYTES = 16L * 1024 * 1024;

  private RegistryTestSupport() {}

  /** The registry section every test engine starts from: a small unpack cap, short timeouts. */
  static JsonObject registrySection() {
    return new JsonObject()
        .put("max_unpacked_bytes", MAX_UNPACKED_BYTES)
        .put("timeout_ms", 20_000)
        .put("retries", 1);
  }

  /** Starts an engine (default model jit) whose config file holds {@code registry}. */
  static RunningEngine startEngine(Vertx vertx, Path dir, JsonObject registry) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("engine-config.json");
      Files.writeString(config, new JsonObject().put("registry", registry).encodePrettily());
      return RunningEngine.start(vertx, dir.resolve("data"), ExecutionModel.JIT, "--config", config.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject deployBody(String name, String image, Boolean wasiCap, ExecutionModel model) {
    JsonObject body = new JsonObject().put("function_name", name).put("function_image", image);
    if (wasiCap != null) {
      body.put("wasi_cap", wasiCap);
    }
    if (model != null) {
      body.put("execution_model", model.wireName());
    }
    return body;
  }

  /** Deploys and answers the record, failing with the engine's answer if it is not 200. */
  static JsonObject deployed(RunningEngine engine, JsonObject body) {
    HttpResponse<Buffer> response = engine.post("/function/deploy", body);
    assertEquals(200, response.statusCode(), "deploy " + body.encode() + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  static JsonObject query(RunningEngine engine, String name) {
    HttpResponse<Buffer> response = engine.post("/function/query", new JsonObject().put("function_name", name));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  static void delete(RunningEngine engine, String name) {
    HttpResponse<Buffer> response = engine.post("/function/delete", new JsonObject().put("function_name", name));
    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  /** Every documented sample of {@code example} answers as documented when called as {@code function}. */
  static void assertAnswersLike(RunningEngine engine, String function, String example) {
    Example expected = ExampleFunctions.named(example);
    for (Sample sample : expected.samples()) {
      HttpResponse<Buffer> response = engine.invoke(function, sample.args());
      assertEquals(200, response.statusCode(), function + " with " + sample.args() + ": " + response.bodyAsString());
      assertEquals(sample.output(), response.bodyAsString(), function + " with " + sample.args());
    }
  }

  static void assertError(HttpResponse<Buffer> response, int status, String error, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(error, body.getString("error"), body.encode());
    String message = body.getString("message");
    assertNotNull(message, body.encode());
    assertTrue(message.contains(messagePart), "message \"" + message + "\" should mention \"" + messagePart + "\"");
  }

  /** The blobs of the engine's OCI store, to tell later that a failed deploy added none. */
  record StoreState(Path dataDir, Set<String> blobs) {}

  static StoreState snapshot(Path dataDir) {
    return new StoreState(dataDir, files(dataDir.resolve("oci/blobs/sha256")));
  }

  /** No record for {@code name}, no blob added since {@code before}, nothing left in data/tmp. */
  static void assertNothingStored(StoreState before, String name) {
    Path dataDir = before.dataDir();
    assertFalse(Files.exists(dataDir.resolve("functions").resolve(name + ".json")), "a record was stored for " + name);
    Set<String> after = files(dataDir.resolve("oci/blobs/sha256"));
    Set<String> added = new TreeSet<>(after);
    added.removeAll(before.blobs());
    assertTrue(added.isEmpty(), "blobs were added by a failed deploy: " + added);
    Set<String> leftovers = entries(dataDir.resolve("tmp"));
    assertTrue(leftovers.isEmpty(), "data/tmp is not empty after a failed deploy: " + leftovers);
  }

  /** Deploys {@code body}, expects the error, and checks that the store did not change. */
  static JsonObject assertDeployRefused(RunningEngine engine, Path dataDir, JsonObject body, int status, String error,
      String messagePart) {
    StoreState before = snapshot(dataDir);
    HttpResponse<Buffer> response = engine.post("/function/deploy", body);
    assertError(response, status, error, messagePart);
    String name = body.getString("function_name");
    assertNothingStored(before, name);
    HttpResponse<Buffer> query = engine.post("/function/query", new JsonObject().put("function_name", name));
    assertEquals(404, query.statusCode(), "a refused function is not queryable: " + query.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** Every file and directory under {@code dir} (not itself); empty if it does not exist. */
  static Set<String> entries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names of the files (recursively) under {@code dir}; empty if it does not exist. */
  static Set<String> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Closes every part, in order, even when one fails; the first failure is rethrown once all
   * are closed, so a broken teardown still shows.
   */
  static void closeAll(AutoCloseable... parts) {
    RuntimeException first = null;
    for (AutoCloseable part : parts) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("teardown failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
