package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.ModuleDigest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference as container tools write it: {@code [registry[:port]/]repository[:tag][@sha256:digest]}.
 * A first path component with a dot, a colon or equal to {@code localhost} names the registry;
 * otherwise the image is on Docker Hub, whose API host is {@value #DOCKER_HUB_API} and whose
 * one-component repositories live under {@code library/}.
 *
 * @param registry   the host[:port] the API is spoken to
 * @param repository the repository path, e.g. {@code library/hello} or {@code fns/gcd}
 * @param tag        the tag, {@code latest} when neither tag nor digest is given
 * @param digest     the manifest digest, when pinned
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<ModuleDigest> digest) {
  public static final String DOCKER_HUB = "docker.io";
  public static final String DOCKER_HUB_API = "registry-1.docker.io";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9A-Fa-f:]+\\](?::[0-9]{1,5})?");

  public static ImageReference parse(String text) {
    String rest = text;
    Optional<ModuleDigest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Optional.of(ModuleDigest.parse(rest.substring(at + 1)));
      } catch (IllegalArgumentException e) {
        throw invalid(text, "the digest must be sha256:<64 hex digits>");
      }
      rest = rest.substring(0, at);
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        if (!HOST.matcher(first).matches()) {
          throw invalid(text, "\"" + first + "\" is not a registry host[:port]");
        }
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag.get()).matches()) {
        throw invalid(text, "\"" + tag.get() + "\" is not a valid tag");
      }
    }
    if (rest.isEmpty()) {
      throw invalid(text, "the repository is missing");
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw invalid(text, "repository path component \"" + component + "\" must be lowercase letters, digits and separators");
      }
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** The host the registry API answers on (Docker Hub's differs from its name). */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
  }

  /** What the manifest is fetched by: the digest when pinned, else the tag. */
  public String manifestReference() {
    return digest.map(ModuleDigest::toString).orElseGet(tag::orElseThrow);
  }

  /** The same repository, pinned to another manifest (an index entry). */
  public ImageReference withDigest(ModuleDigest manifest) {
    return new ImageReference(registry, repository, tag, Optional.of(manifest));
  }

  @Override
  public String toString() {
    return registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  private static BadRequestException invalid(String text, String why) {
    return new BadRequestException("function_image \"" + text + "\" is not a valid image reference: " + why);
  }
}
