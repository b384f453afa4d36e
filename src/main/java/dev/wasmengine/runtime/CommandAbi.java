package dev.wasmengine.runtime;

import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.LimitExceededException;
import dev.wasmengine.runtime.wasi.WasiCall;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ABI 2 of the original WasmEngine: a WASI command whose only argv entry is the args JSON (no
 * program name). Its stdout, less one trailing newline, is the output. It sees no environment,
 * no files and no sockets.
 */
public final class CommandAbi implements FunctionAbi {
  static final CommandAbi INSTANCE = new CommandAbi();
  /** How much of stderr a failure report quotes. */
  static final int STDERR_KEPT = 4096;

  private CommandAbi() {}

  @Override
  public void check(ModuleShape shape, String functionName) {
    if (shape.function(ModuleShape.START).isEmpty()) {
      throw new InvalidModuleException("module exports no _start function, which a WASI command (wasi_cap=true) needs");
    }
  }

  @Override
  public byte[] invoke(GuestInstance instance, String functionName, byte[] argsJson, GuestLimits limits,
      FunctionCaller caller) {
    if (argsJson.length > limits.maxInputBytes()) {
      throw new LimitExceededException("args are " + argsJson.length + " bytes of JSON; the limit is "
          + limits.maxInputBytes());
    }
    CapturedOutput stdout = new CapturedOutput(limits.maxOutputBytes());
    CapturedOutput stderr = new CapturedOutput(STDERR_KEPT);
    String args = new String(argsJson, StandardCharsets.UTF_8);
    WasiCall wasi = new WasiCall(List.of(args), Map.of(), new byte[0], stdout, stderr, false);
    int status;
    instance.bind(new HostContext(wasi, caller));
    try {
      status = instance.runCommand();
    } finally {
      instance.unbind();
    }
    if (status != 0) {
      String tail = new String(stderr.bytes(), StandardCharsets.UTF_8).strip();
      throw new GuestExitException("function exited with status " + status + (tail.isEmpty() ? "" : ": " + tail));
    }
    if (stdout.overflowed()) {
      throw new LimitExceededException("output is over the limit of " + limits.maxOutputBytes() + " bytes");
    }
    return withoutTrailingNewline(stdout.bytes());
  }

  private static byte[] withoutTrailingNewline(byte[] output) {
    int length = output.length;
    if (length > 0 && output[length - 1] == '\n') {
      return Arrays.copyOf(output, length - 1);
    }
    return output;
  }
}
