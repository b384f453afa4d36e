package dev.wasmengine.api.openfaas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The engine's release and commit, written into {@code build-info.properties} by the build
 * (Maven resource filtering); "unknown" when the build could not tell, as in a source tree
 * without git.
 */
record BuildInfo(String release, String sha) {
  static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/build-info.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read build-info.properties from the class path", e);
    }
    return new BuildInfo(known(properties.getProperty("release")), known(properties.getProperty("sha")));
  }

  /** An unfiltered placeholder (${...}) or an empty value means the build did not know. */
  private static String known(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }
}
