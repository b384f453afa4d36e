package dev.wasmengine.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A module's identity: the sha256 of its bytes, written {@code sha256:<64 hex>} as in OCI. */
public record ModuleDigest(String hex) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final String PREFIX = "sha256:";

  public ModuleDigest {
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a sha256 hex digest: " + hex);
    }
  }

  public static ModuleDigest of(byte[] bytes) {
    return new ModuleDigest(HexFormat.of().formatHex(sha256().digest(bytes)));
  }

  /** Parses {@code sha256:<hex>}; anything else is refused. */
  public static ModuleDigest parse(String text) {
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("digest must start with sha256: " + text);
    }
    return new ModuleDigest(text.substring(PREFIX.length()));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return PREFIX + hex;
  }
}
