package dev.wasmengine.api.auth;

import java.net.InetAddress;
import java.util.Locale;

/** Whether a bind address keeps the engine reachable from this host only. */
final class LoopbackAddress {
  private LoopbackAddress() {}

  static boolean isLoopback(String bindAddress) {
    String host = bindAddress.strip();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    try {
      // Literals only: any other host name would need DNS, and could resolve to a public address.
      return InetAddress.ofLiteral(host).isLoopbackAddress();
    } catch (IllegalArgumentException notALiteral) {
      return false;
    }
  }
}
