package dev.wasmengine.config;

/** A user name and password for one registry. Never printed: toString hides the password. */
public record RegistryCredentials(String username, String password) {
  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=<hidden>]";
  }
}
