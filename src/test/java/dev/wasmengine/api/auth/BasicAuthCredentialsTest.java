package dev.wasmengine.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.config.AuthConfig;
import dev.wasmengine.config.AuthConfig.Mode;
import dev.wasmengine.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicAuthCredentialsTest {
  static final Logger LOG = Logger.getLogger(BasicAuthCredentials.class.getName());

  @TempDir
  Path data;

  Path secrets;
  final List<String> logged = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      logged.add(formatter.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLog() {
    secrets = data.resolve("auth");
    LOG.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    LOG.removeHandler(capture);
  }

  @Test
  void auto_on_loopback_without_files_asks_for_nothing_and_writes_nothing() throws IOException {
    for (String bind : List.of("127.0.0.1", "127.0.0.2", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost", "LocalHost")) {
      assertEquals(Optional.empty(), BasicAuthCredentials.resolve(config(Mode.AUTO), bind), bind);
    }
    assertFalse(Files.exists(secrets), "nothing generated");
  }

  @Test
  void auto_on_all_interfaces_without_files_generates_owner_only_files_and_logs_no_password() throws IOException {
    BasicAuthCredentials generated = BasicAuthCredentials.resolve(config(Mode.AUTO), "0.0.0.0").orElseThrow();

    assertEquals("admin", generated.user());
    assertEquals("admin", Files.readString(secrets.resolve("basic-auth-user")));
    String password = Files.readString(secrets.resolve("basic-auth-password"));
    assertTrue(password.matches("[A-Za-z0-9_-]{32}"), "32 url-safe characters: " + password.length());
    assertTrue(generated.matches("admin", password));
    assertFalse(generated.matches("admin", password.substring(1)));
    assertFalse(generated.matches("root", password));

    assertEquals("rwx------", permissions(secrets));
    assertEquals("rw-------", permissions(secrets.resolve("basic-auth-user")));
    assertEquals("rw-------", permissions(secrets.resolve("basic-auth-password")));
    try (Stream<Path> files = Files.list(secrets)) {
      assertEquals(2, files.count(), "no temp files left");
    }

    String log = String.join("", logged);
    assertTrue(log.contains(secrets.toString()), log);
    assertTrue(log.contains("admin"), log);
    assertFalse(log.contains(password), "the password must never be logged");
    assertFalse(generated.toString().contains(password));
  }

  @Test
  void generated_credentials_are_read_back_on_the_next_start() throws IOException {
    BasicAuthCredentials first = BasicAuthCredentials.resolve(config(Mode.AUTO), "0.0.0.0").orElseThrow();
    String password = Files.readString(secrets.resolve("basic-auth-password"));
    BasicAuthCredentials second = BasicAuthCredentials.resolve(config(Mode.AUTO), "0.0.0.0").orElseThrow();
    assertTrue(first.matches("admin", password));
    assertTrue(second.matches("admin", password));
    assertEquals(password, Files.readString(secrets.resolve("basic-auth-password")), "not regenerated");
  }

  @Test
  void existing_files_are_used_as_they_are_with_surrounding_whitespace_dropped() throws IOException {
    writeSecrets("alice\n", "correct horse\n");
    for (String bind : List.of("0.0.0.0", "127.0.0.1")) {
      BasicAuthCredentials credentials = BasicAuthCredentials.resolve(config(Mode.AUTO), bind).orElseThrow();
      assertEquals("alice", credentials.user());
      assertTrue(credentials.matches("alice", "correct horse"), bind);
      assertFalse(credentials.matches("alice", "correct horse\n"), bind);
      assertFalse(credentials.matches("alice", "correct"), bind);
      assertFalse(credentials.matches("admin", "correct horse"), bind);
      assertFalse(credentials.matches(null, "correct horse"), bind);
    }
    assertEquals("correct horse\n", Files.readString(secrets.resolve("basic-auth-password")), "left untouched");
  }

  @Test
  void one_file_without_the_other_is_an_error_naming_the_missing_one() throws IOException {
    Files.createDirectories(secrets);
    Files.writeString(secrets.resolve("basic-auth-user"), "alice");
    ConfigException noPassword = assertThrows(ConfigException.class,
        () -> BasicAuthCredentials.resolve(config(Mode.AUTO), "127.0.0.1"));
    assertTrue(noPassword.getMessage().contains(secrets.resolve("basic-auth-password") + " is missing"),
        noPassword.getMessage());

    Files.delete(secrets.resolve("basic-auth-user"));
    Files.writeString(secrets.resolve("basic-auth-password"), "secret");
    ConfigException noUser = assertThrows(ConfigException.class,
        () -> BasicAuthCredentials.resolve(config(Mode.ON), "0.0.0.0"));
    assertTrue(noUser.getMessage().contains(secrets.resolve("basic-auth-user") + " is missing"), noUser.getMessage());
    assertEquals("secret", Files.readString(secrets.resolve("basic-auth-password")), "nothing overwritten");
  }

  @Test
  void an_empty_user_or_password_file_is_an_error() throws IOException {
    writeSecrets("alice", " \n");
    ConfigException emptyPassword = assertThrows(ConfigException.class,
        () -> BasicAuthCredentials.resolve(config(Mode.ON), "0.0.0.0"));
    assertTrue(emptyPassword.getMessage().contains("basic-auth-password is empty"), emptyPassword.getMessage());

    writeSecrets("", "secret");
    ConfigException emptyUser = assertThrows(ConfigException.class,
        () -> BasicAuthCredentials.resolve(config(Mode.ON), "0.0.0.0"));
    assertTrue(emptyUser.getMessage().contains("basic-auth-user is empty"), emptyUser.getMessage());
  }

  @Test
  void off_asks_for_nothing_even_with_files_on_all_interfaces() throws IOException {
    writeSecrets("alice", "secret");
    assertEquals(Optional.empty(), BasicAuthCredentials.resolve(config(Mode.OFF), "0.0.0.0"));
  }

  @Test
  void on_generates_credentials_even_on_loopback() throws IOException {
    BasicAuthCredentials generated = BasicAuthCredentials.resolve(config(Mode.ON), "127.0.0.1").orElseThrow();
    String password = Files.readString(secrets.resolve("basic-auth-password"));
    assertTrue(generated.matches("admin", password));
    assertEquals("rw-------", permissions(secrets.resolve("basic-auth-password")));
  }

  @Test
  void a_host_name_other_than_localhost_is_not_taken_for_loopback() throws IOException {
    assertTrue(BasicAuthCredentials.resolve(config(Mode.AUTO), "engine.example").isPresent());
  }

  private AuthConfig config(Mode mode) {
    return new AuthConfig(mode, secrets);
  }

  private void writeSecrets(String user, String password) throws IOException {
    Files.createDirectories(secrets);
    Files.writeString(secrets.resolve("basic-auth-user"), user, StandardCharsets.UTF_8);
    Files.writeString(secrets.resolve("basic-auth-password"), password, StandardCharsets.UTF_8);
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
