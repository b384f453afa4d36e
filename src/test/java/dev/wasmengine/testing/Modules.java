package dev.wasmengine.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real modules the tests run live: built from experiments/ by real toolchains. */
public final class Modules {
  private Modules() {}

  public static Path home() {
    return Path.of(System.getProperty("wasmengine.home", ".")).toAbsolutePath().normalize();
  }

  public static Path experiments() {
    return home().resolve("experiments");
  }

  /** An example function module (experiments/dist, rebuilt from source by bin/test). */
  public static Path example(String name) {
    return existing(experiments().resolve("dist").resolve(name + ".wasm"));
  }

  /** A test guest (experiments/testdata, built by make -C experiments testdata). */
  public static Path testGuest(String name) {
    return existing(experiments().resolve("build").resolve("testdata").resolve(name + ".wasm"));
  }

  /** A large module (experiments/large, built by make -C experiments large). */
  public static Path largeModule(String name) {
    return existing(experiments().resolve("build").resolve("large").resolve(name + ".wasm"));
  }

  /** An OCI layout of an example, in form "image" or "artifact" (built by make -C experiments oci). */
  public static Path ociLayout(String name, String form) {
    return existing(experiments().resolve("build").resolve("oci").resolve(name + "-" + form));
  }

  public static byte[] bytes(Path module) {
    try {
      return Files.readAllBytes(module);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path existing(Path path) {
    assertTrue(Files.exists(path), path + " is missing: run make -C experiments all oci (bin/test does)");
    return path;
  }
}
