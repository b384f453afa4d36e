package dev.wasmengine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets: durable, private to the engine's user, listed by name only, kept per namespace. */
class SecretStoreTest {
  @TempDir
  Path data;

  @Test
  void a_secret_is_written_owner_only_and_read_back_after_a_restart() throws IOException {
    SecretStore secrets = SecretStore.open(data);
    byte[] value = {0, 1, (byte) 0xff, '\n'};
    secrets.put("openfaas-fn", "api-key", value);

    Path file = data.resolve("secrets").resolve("openfaas-fn").resolve("api-key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets"))));
    SecretStore reopened = SecretStore.open(data);
    assertArrayEquals(value, reopened.read("openfaas-fn", "api-key").orElseThrow());
    assertTrue(reopened.exists("openfaas-fn", "api-key"));
  }

  @Test
  void namespaces_keep_their_secrets_apart_and_listing_gives_names() throws IOException {
    SecretStore secrets = SecretStore.open(data);
    secrets.put("openfaas-fn", "b", new byte[] {1});
    secrets.put("openfaas-fn", "a", new byte[] {2});
    secrets.put("staging", "a", new byte[] {3});
    assertEquals(List.of("a", "b"), secrets.names("openfaas-fn"));
    assertEquals(List.of("a"), secrets.names("staging"));
    assertEquals(List.of(), secrets.names("nowhere"));
    assertArrayEquals(new byte[] {3}, secrets.read("staging", "a").orElseThrow());

    secrets.put("staging", "a", new byte[] {4});
    assertArrayEquals(new byte[] {4}, secrets.read("staging", "a").orElseThrow(), "put replaces");
    assertTrue(secrets.delete("staging", "a"));
    assertFalse(secrets.delete("staging", "a"));
    assertEquals(Optional.empty(), secrets.read("staging", "a"));
  }

  @Test
  void a_name_that_could_be_a_path_is_refused() throws IOException {
    SecretStore secrets = SecretStore.open(data);
    for (String bad : List.of("..", "../x", "a/b", "", ".hidden")) {
      assertThrows(IllegalArgumentException.class, () -> secrets.put("openfaas-fn", bad, new byte[0]), bad);
      assertThrows(IllegalArgumentException.class, () -> secrets.read(bad, "x"), bad);
    }
  }
}
