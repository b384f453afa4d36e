package dev.wasmengine.runtime.wasi;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one call grants a WASI guest, bound to a {@link WasiHost} just before the guest runs:
 * its argv (exactly these entries, no program name is added), its environment (nothing of the
 * host's), its stdin bytes, where its stdout and stderr go, and whether it may read the host's
 * wall clock. Immutable: the lists, map and stdin bytes are copied in, {@link #stdin()} hands
 * out a copy.
 *
 * <p>argv entries and environment values cannot contain NUL (a C string ends there), and
 * variable names cannot be empty or contain {@code '='}; such a call is refused with
 * {@link IllegalArgumentException}.
 */
public record WasiCall(
    List<String> args, Map<String, String> env, byte[] stdin, OutputStream stdout, OutputStream stderr,
    boolean clockGranted) {

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
  }

  /** A copy of the stdin bytes. */
  @Override
  public byte[] stdin() {
    return stdin.clone();
  }

  /** Nothing granted: no argv, no environment, empty stdin, output dropped, the clock at 0. */
  public static WasiCall none() {
    return NONE;
  }
}
