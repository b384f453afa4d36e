package dev.wasmengine.config;

import java.nio.file.Path;

/**
 * Basic auth of the HTTP API, in the OpenFaaS manner: credentials live in two files of a secrets
 * directory ({@code basic-auth-user}, {@code basic-auth-password}).
 *
 * @param mode       whether the API asks for credentials
 * @param secretsDir where the two credential files are read from or generated into
 */
public record AuthConfig(Mode mode, Path secretsDir) {

  public enum Mode {
    /** On, except for an engine bound to loopback only that has no credential files. */
    AUTO,
    /** Always on; credentials are generated when the files are missing. */
    ON,
    /** Never asks; for engines behind a gateway that authenticates. */
    OFF
  }
}
