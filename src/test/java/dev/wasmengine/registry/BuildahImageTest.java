package dev.wasmengine.registry;

import static dev.wasmengine.registry.RegistryTestSupport.assertAnswersLike;
import static dev.wasmengine.registry.RegistryTestSupport.deployBody;
import static dev.wasmengine.registry.RegistryTestSupport.deployed;
import static dev.wasmengine.registry.RegistryTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.testing.Commands;
import dev.wasmengine.testing.Images;
import dev.wasmengine.testing.Images.Pushed;
import dev.wasmengine.testing.Modules;
import dev.wasmengine.testing.RegistryServer;
import dev.wasmengine.testing.RunningEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function image recipe of docker/function/Containerfile, built by the real buildah (vfs
 * storage in a private root, platform wasip1/wasm), pushed by buildah to a real registry, then
 * deployed through the REST API and invoked.
 */
@ExtendWith(VertxExtension.class)
class BuildahImageTest {
  @TempDir
  Path work;

  @Test
  void the_containerfile_recipe_built_by_buildah_deploys_and_answers(Vertx vertx) {
    Path containerfile = Modules.home().resolve("docker/function/Containerfile");
    assertTrue(Files.isRegularFile(containerfile), containerfile + " is missing");
    Path hello = Modules.example("hello");
    Path storage = work.resolve("buildah");
    String localName = "localhost/wasmengine-test-hello:v1";
    try (RegistryServer registry = RegistryServer.plain(work)) {
      try {
        buildah(storage, "bud", "--format", "oci", "--platform", "wasip1/wasm",
            "--build-arg", "MODULE=" + hello.getFileName(), "-f", containerfile.toString(), "-t", localName,
            hello.getParent().toString());
        buildah(storage, "push", "--tls-verify=false", localName, "docker://" + registry.ref("buildah/hello:v1"));
      } finally {
        removeBuildahStorage(storage);
      }

      Images images = Images.forRegistry(work, registry);
      Pushed pushed = images.inspect("buildah/hello:v1");
      JsonObject config = new JsonObject(Commands.run(work, "skopeo", "inspect", "--config", "--raw",
          "--tls-verify=false", "docker://" + pushed.ref()).stdoutText());
      assertEquals("wasip1", config.getString("os"), config.encode());
      assertEquals("wasm", config.getString("architecture"), config.encode());

      try (RunningEngine engine = RegistryTestSupport.startEngine(vertx, work.resolve("engine"),
          RegistryTestSupport.registrySection())) {
        for (ExecutionModel model : ExecutionModel.values()) {
          String name = "buildah-hello-" + model.wireName();
          JsonObject record = deployed(engine, deployBody(name, pushed.ref(), null, model));
          assertEquals(pushed.manifestDigest(), record.getString("image_digest"));
          assertEquals(Images.digest(hello), record.getString("digest"), "the module is the one buildah added");
          assertAnswersLike(engine, name, "hello");
          assertEquals(pushed.ref(), query(engine, name).getString("function_image"));
        }
      }
    }
  }

  /** Runs buildah with its storage under {@code storage} (vfs, so no mounts), not the machine's. */
  private void buildah(Path storage, String... args) {
    List<String> command = new ArrayList<>(List.of("buildah",
        "--root", storage.resolve("root").toString(),
        "--runroot", storage.resolve("runroot").toString(),
        "--storage-driver", "vfs"));
    command.addAll(List.of(args));
    Commands.run(work, command);
  }

  private void removeBuildahStorage(Path storage) {
    if (Files.isDirectory(storage.resolve("root"))) {
      Commands.runUnchecked(work, Commands.DEFAULT_TIMEOUT, List.of("buildah",
          "--root", storage.resolve("root").toString(), "--runroot", storage.resolve("runroot").toString(),
          "--storage-driver", "vfs", "rmi", "--all", "--force"));
    }
    Commands.deleteTree(storage);
  }
}
