package dev.wasmengine.registry.oci;

import dev.wasmengine.config.RegistryCredentials;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Credentials per registry: the engine's config first, then the {@code auths} of a docker
 * config.json, the file every registry tool reads. Loaded once at start (blocking). Nothing here
 * ever logs or returns a password in a message.
 */
public final class Credentials {
  private static final Logger LOG = Logger.getLogger(Credentials.class.getName());
  private static final List<String> DOCKER_HUB_KEYS =
      List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io");

  private final Map<String, RegistryCredentials> byRegistry;

  private Credentials(Map<String, RegistryCredentials> byRegistry) {
    this.byRegistry = Map.copyOf(byRegistry);
  }

  public static Credentials load(Map<String, RegistryCredentials> configured, Optional<Path> dockerConfig) {
    Map<String, RegistryCredentials> all = new HashMap<>();
    dockerConfig.ifPresent(file -> all.putAll(readDockerConfig(file)));
    all.putAll(configured);
    return new Credentials(all);
  }

  /** The credentials for a registry as named in image references (host[:port], or docker.io). */
  public Optional<RegistryCredentials> forRegistry(String registry) {
    List<String> keys = registry.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_KEYS : List.of(registry);
    for (String key : keys) {
      RegistryCredentials found = byRegistry.get(key);
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  private static Map<String, RegistryCredentials> readDockerConfig(Path file) {
    Map<String, RegistryCredentials> found = new HashMap<>();
    JsonObject config;
    try {
      config = new JsonObject(Files.readString(file));
    } catch (NoSuchFileException e) {
      return found;
    } catch (IOException | DecodeException e) {
      LOG.warning(() -> "docker config " + file + " is unreadable and ignored");
      return found;
    }
    if (config.containsKey("credsStore") || config.containsKey("credHelpers")) {
      LOG.info(() -> "docker config " + file + " names credential helpers; only its inline auths are used");
    }
    JsonObject auths = config.getValue("auths") instanceof JsonObject object ? object : new JsonObject();
    for (String key : auths.fieldNames()) {
      if (auths.getValue(key) instanceof JsonObject entry) {
        parseEntry(entry).ifPresent(credentials -> found.put(stripScheme(key), credentials));
      }
    }
    return found;
  }

  private static Optional<RegistryCredentials> parseEntry(JsonObject entry) {
    if (entry.getValue("auth") instanceof String auth && !auth.isEmpty()) {
      try {
        String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon > 0) {
          return Optional.of(new RegistryCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    if (entry.getValue("username") instanceof String user && entry.getValue("password") instanceof String password) {
      return Optional.of(new RegistryCredentials(user, password));
    }
    return Optional.empty();
  }

  /** Docker writes keys as "host", "https://host" or "https://host/v1/". */
  private static String stripScheme(String key) {
    if (DOCKER_HUB_KEYS.contains(key)) {
      return key;
    }
    String host = key.replaceFirst("^https?://", "");
    int slash = host.indexOf('/');
    return slash >= 0 ? host.substring(0, slash) : host;
  }
}
