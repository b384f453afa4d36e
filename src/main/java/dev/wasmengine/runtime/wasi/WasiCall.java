package dev.wasmengine.runtime.wasi;

import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What one call grants a WASI guest, bound to a {@link WasiHost} just before the guest runs:
 * its argv (exactly these entries, no program name is added), its environment (nothing of the
 * host's), its stdin bytes, where its stdout and stderr go, whether it may read the host's
 * wall clock, and the files of its one optional read-only directory, {@link #SECRETS_PATH}
 * (the function's OpenFaaS secrets: file name to content, all in memory). Immutable: the lists,
 * maps and byte arrays are copied in, {@link #stdin()} and {@link #secretFiles()} hand out
 * copies.
 *
 * <p>argv entries and environment values cannot contain NUL (a C string ends there), and
 * variable names cannot be empty or contain {@code '='}; secret file names must match
 * {@code [A-Za-z0-9_.-]+} and not be {@code "."} or {@code ".."}. Such a call is refused with
 * {@link IllegalArgumentException}. With no secret files the guest has no directory at all.
 */
public record WasiCall(
    List<String> args, Map<String, String> env, byte[] stdin, OutputStream stdout, OutputStream stderr,
    boolean clockGranted, Map<String, byte[]> secretFiles) {

  /** Where a call's secret files appear inside the guest: the only preopened directory. */
  public static final String SECRETS_PATH = "/var/openfaas/secrets";

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private static final WasiCall NONE =
      new WasiCall(List.of(), Map.of(), new byte[0], OutputStream.nullOutputStream(), OutputStream.nullOutputStream(),
          false);

  public WasiCall {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    stdin = stdin.clone();
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    for (String arg : args) {
      if (arg.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("an argv entry contains NUL");
      }
    }
    env.forEach((name, value) -> {
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("not an environment variable name: \"" + name + "\"");
      }
      if (value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("environment variable " + name + " contains NUL");
      }
    });
    secretFiles = copyFiles(secretFiles);
  }

  /** A call without secret files (no directory). */
  public WasiCall(
      List<String> args, Map<String, String> env, byte[] stdin, OutputStream stdout, OutputStream stderr,
      boolean clockGranted) {
    this(args, env, stdin, stdout, stderr, clockGranted, Map.of());
  }

  /** This call with {@code files} (name to content) as its secret files, in place of its own. */
  public WasiCall withSecretFiles(Map<String, byte[]> files) {
    return new WasiCall(args, env, stdin, stdout, stderr, clockGranted, files);
  }

  /** A copy of the stdin bytes. */
  @Override
  public byte[] stdin() {
    return stdin.clone();
  }

  /** A copy of the secret files, sorted by name (empty when the guest has no directory). */
  @Override
  public Map<String, byte[]> secretFiles() {
    return copyFiles(secretFiles);
  }

  /** The secret files themselves, sorted by name, for {@link WasiHost}; never modified. */
  SortedMap<String, byte[]> secrets() {
    return (SortedMap<String, byte[]>) secretFiles;
  }

  /** Whether the guest gets the {@link #SECRETS_PATH} directory. */
  public boolean hasSecretFiles() {
    return !secretFiles.isEmpty();
  }

  private static SortedMap<String, byte[]> copyFiles(Map<String, byte[]> files) {
    TreeMap<String, byte[]> copy = new TreeMap<>();
    files.forEach((name, content) -> {
      Objects.requireNonNull(name, "secret file name");
      Objects.requireNonNull(content, "secret file " + name);
      if (!FILE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("not a secret file name: \"" + name + "\"");
      }
      copy.put(name, content.clone());
    });
    return Collections.unmodifiableSortedMap(copy);
  }

  /** Nothing granted: no argv, no environment, empty stdin, output dropped, the clock at 0, no files. */
  public static WasiCall none() {
    return NONE;
  }
}
