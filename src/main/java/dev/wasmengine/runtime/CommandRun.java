package dev.wasmengine.runtime;

import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.error.GuestExitException;
import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.LimitExceededException;
import dev.wasmengine.runtime.wasi.WasiCall;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One run of a WASI command's {@code _start} with bounded stdout and stderr: what ABI 2 and the
 * HTTP ABI share. A non-zero exit fails the call, quoting the end of stderr.
 */
final class CommandRun {
  /** stderr kept per call: enough for a function's log lines, bounded for a chatty guest. */
  static final int STDERR_KEPT = 16 * 1024;
  /** How much of stderr's end a failure report quotes. */
  static final int STDERR_QUOTED = 2048;

  private CommandRun() {}

  /** What a finished command wrote. */
  record Output(byte[] stdout, byte[] stderr) {}

  static void checkStart(ModuleShape shape, String abiName) {
    if (shape.function(ModuleShape.START).isEmpty()) {
      throw new InvalidModuleException("module exports no _start function, which " + abiName + " needs");
    }
  }

  static void checkInput(int bytes, GuestLimits limits, String what) {
    if (bytes > limits.maxInputBytes()) {
      throw new LimitExceededException(what + " is " + bytes + " bytes; the limit is " + limits.maxInputBytes());
    }
  }

  static Output run(GuestInstance instance, List<String> args, Map<String, String> env, byte[] stdin,
      FunctionGrant grant, GuestLimits limits, FunctionCaller caller) {
    CapturedOutput stdout = new CapturedOutput(limits.maxOutputBytes());
    CapturedOutput stderr = new CapturedOutput(STDERR_KEPT);
    WasiCall wasi;
    try {
      wasi = new WasiCall(args, env, stdin, stdout, stderr, false, grant.secrets());
    } catch (IllegalArgumentException e) {
      // A NUL in an argv entry or a variable: C strings cannot carry it.
      throw new BadRequestException("the call cannot be passed to a WASI guest: " + e.getMessage());
    }
    int status;
    instance.bind(new HostContext(wasi, caller));
    try {
      status = instance.runCommand();
    } finally {
      instance.unbind();
    }
    if (status != 0) {
      String tail = tail(new String(stderr.bytes(), StandardCharsets.UTF_8).strip());
      throw new GuestExitException("function exited with status " + status + (tail.isEmpty() ? "" : ": " + tail),
          stderr.bytes());
    }
    if (stdout.overflowed()) {
      throw new LimitExceededException("output is over the limit of " + limits.maxOutputBytes() + " bytes");
    }
    return new Output(stdout.bytes(), stderr.bytes());
  }

  private static String tail(String text) {
    return text.length() <= STDERR_QUOTED ? text : "..." + text.substring(text.length() - STDERR_QUOTED);
  }
}
