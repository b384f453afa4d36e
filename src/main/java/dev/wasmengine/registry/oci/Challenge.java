package dev.wasmengine.registry.oci;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code WWW-Authenticate} challenge: its scheme (Basic, Bearer) and parameters (realm, service, scope). */
record Challenge(String scheme, Map<String, String> parameters) {
  private static final Pattern PARAMETER = Pattern.compile("([A-Za-z_]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

  static Optional<Challenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String trimmed = header.strip();
    int space = trimmed.indexOf(' ');
    String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    if (space > 0) {
      Matcher matcher = PARAMETER.matcher(trimmed.substring(space + 1));
      while (matcher.find()) {
        String value = matcher.group(2) != null ? matcher.group(2).replaceAll("\\\\(.)", "$1") : matcher.group(3);
        parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), value);
      }
    }
    return Optional.of(new Challenge(scheme, parameters));
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }
}
