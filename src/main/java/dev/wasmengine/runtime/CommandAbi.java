package dev.wasmengine.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * ABI 2 of the original WasmEngine: a WASI command whose only argv entry is the input, the args
 * JSON (no program name). Its stdout, less one trailing newline, is the output. It sees the
 * environment and secrets its deployment grants, nothing else of the host.
 */
public final class CommandAbi implements FunctionAbi {
  static final CommandAbi INSTANCE = new CommandAbi();

  private CommandAbi() {}

  @Override
  public void check(ModuleShape shape, String functionName) {
    CommandRun.checkStart(shape, "a WASI command (wasi_cap=true)");
  }

  @Override
  public GuestResponse invoke(GuestInstance instance, String functionName, GuestRequest request, FunctionGrant grant,
      GuestLimits limits, FunctionCaller caller) {
    CommandRun.checkInput(request.body().length, limits, "the input");
    String args = new String(request.body(), StandardCharsets.UTF_8);
    CommandRun.Output output = CommandRun.run(instance, List.of(args), grant.env(), new byte[0], grant, limits, caller);
    return GuestResponse.ok(withoutTrailingNewline(output.stdout()), output.stderr());
  }

  private static byte[] withoutTrailingNewline(byte[] output) {
    int length = output.length;
    if (length > 0 && output[length - 1] == '\n') {
      return Arrays.copyOf(output, length - 1);
    }
    return output;
  }
}
