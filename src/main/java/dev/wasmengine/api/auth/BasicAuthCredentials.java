package dev.wasmengine.api.auth;

import dev.wasmengine.config.AuthConfig;
import dev.wasmengine.config.ConfigException;
import dev.wasmengine.config.EngineConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The one user name and password the HTTP API accepts, kept as OpenFaaS keeps them: the files
 * {@value #USER_FILE} and {@value #PASSWORD_FILE} of a secrets directory. Never printed:
 * toString hides the password, and nothing logs it.
 */
public final class BasicAuthCredentials {
  private static final Logger LOG = Logger.getLogger(BasicAuthCredentials.class.getName());

  public static final String USER_FILE = "basic-auth-user";
  public static final String PASSWORD_FILE = "basic-auth-password";
  static final String GENERATED_USER = "admin";
  /** 24 random bytes are 32 characters of url-safe base64: 192 bits, nothing to escape in a shell. */
  private static final int GENERATED_PASSWORD_BYTES = 24;

  private final String user;
  private final byte[] userBytes;
  private final byte[] passwordBytes;

  BasicAuthCredentials(String user, String password) {
    this.user = user;
    this.userBytes = user.getBytes(StandardCharsets.UTF_8);
    this.passwordBytes = password.getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #resolve(AuthConfig, String)} for the engine's auth config and HTTP bind address. */
  public static Optional<BasicAuthCredentials> resolve(EngineConfig config) throws IOException {
    return resolve(config.auth(), config.http().bind());
  }

  /**
   * The credentials the API must ask for, or none. Blocking: call it once at start, off the event
   * loop. {@code off} asks for none. {@code on} and {@code auto} use the two files when both are
   * there and fail when only one is; with neither, {@code auto} asks for none if the engine
   * listens on loopback only, else both generate {@value #GENERATED_USER} and a random password
   * into the secrets directory, whose location (not the password) is logged.
   *
   * @throws ConfigException only one of the files exists, or one is empty
   * @throws IOException     the files cannot be read or written
   */
  public static Optional<BasicAuthCredentials> resolve(AuthConfig auth, String bindAddress) throws IOException {
    if (auth.mode() == AuthConfig.Mode.OFF) {
      return Optional.empty();
    }
    Path dir = auth.secretsDir();
    boolean hasUser = Files.exists(dir.resolve(USER_FILE));
    boolean hasPassword = Files.exists(dir.resolve(PASSWORD_FILE));
    if (hasUser && hasPassword) {
      return Optional.of(read(dir));
    }
    if (hasUser || hasPassword) {
      String missing = hasUser ? PASSWORD_FILE : USER_FILE;
      throw new ConfigException("basic auth: " + dir.resolve(missing) + " is missing beside "
          + dir.resolve(hasUser ? USER_FILE : PASSWORD_FILE) + "; write it, or delete both to have them generated");
    }
    if (auth.mode() == AuthConfig.Mode.AUTO && LoopbackAddress.isLoopback(bindAddress)) {
      LOG.info(() -> "basic auth off: listening on loopback " + bindAddress + " and no credentials in " + dir);
      return Optional.empty();
    }
    return Optional.of(generate(dir));
  }

  /**
   * Whether the presented user and password are these. Both comparisons always run and take a
   * time that depends on the presented lengths only, so timing tells nothing about the secrets.
   */
  public boolean matches(String presentedUser, String presentedPassword) {
    if (presentedUser == null || presentedPassword == null) {
      return false;
    }
    boolean userMatches = MessageDigest.isEqual(presentedUser.getBytes(StandardCharsets.UTF_8), userBytes);
    boolean passwordMatches = MessageDigest.isEqual(presentedPassword.getBytes(StandardCharsets.UTF_8), passwordBytes);
    return userMatches & passwordMatches;
  }

  public String user() {
    return user;
  }

  @Override
  public String toString() {
    return "BasicAuthCredentials[user=" + user + ", password=<hidden>]";
  }

  private static BasicAuthCredentials read(Path dir) throws IOException {
    BasicAuthCredentials credentials = new BasicAuthCredentials(readSecret(dir, USER_FILE), readSecret(dir, PASSWORD_FILE));
    LOG.info(() -> "basic auth on: user " + credentials.user() + " from " + dir);
    return credentials;
  }

  /** Surrounding whitespace is dropped as OpenFaaS does, so a file written with echo works. */
  private static String readSecret(Path dir, String name) throws IOException {
    String value = Files.readString(dir.resolve(name), StandardCharsets.UTF_8).strip();
    if (value.isEmpty()) {
      throw new ConfigException("basic auth: " + dir.resolve(name) + " is empty");
    }
    return value;
  }

  private static BasicAuthCredentials generate(Path dir) throws IOException {
    byte[] random = new byte[GENERATED_PASSWORD_BYTES];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try {
      SecretFiles.createOwnerOnlyDirectory(dir);
      // A crash between the two renames leaves one file, which the next start reports by name.
      SecretFiles.writeOwnerOnly(dir.resolve(PASSWORD_FILE), password);
      SecretFiles.writeOwnerOnly(dir.resolve(USER_FILE), GENERATED_USER);
      SecretFiles.syncDirectory(dir);
    } catch (UnsupportedOperationException noPosixPermissions) {
      throw new ConfigException("basic auth: cannot create owner-only files in " + dir
          + " (no POSIX permissions there); write " + USER_FILE + " and " + PASSWORD_FILE + " yourself");
    }
    LOG.info(() -> "basic auth on: generated credentials for user " + GENERATED_USER + " in " + dir
        + " (" + USER_FILE + ", " + PASSWORD_FILE + ")");
    return new BasicAuthCredentials(GENERATED_USER, password);
  }
}
