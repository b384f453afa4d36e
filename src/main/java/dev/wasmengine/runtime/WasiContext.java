package dev.wasmengine.runtime;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Everything a WASI guest can see of the world: its argv (exactly these entries, no program
 * name), its environment, stdin, and where stdout and stderr go. No files, sockets or host
 * environment are ever passed through; anything more must be granted here explicitly.
 */
public record WasiContext(
    List<String> args, Map<String, String> env, byte[] stdin, OutputStream stdout, OutputStream stderr) {

  public WasiContext {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    stdin = stdin.clone();
  }

  /** For modules that import WASI but are not run as commands: nothing in, output dropped. */
  public static WasiContext none() {
    return new WasiContext(List.of(), Map.of(), new byte[0], OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
  }
}
