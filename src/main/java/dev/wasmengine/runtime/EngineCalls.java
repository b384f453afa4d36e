package dev.wasmengine.runtime;

import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.ModuleShape.Signature;
import dev.wasmengine.runtime.wasi.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The {@value #MODULE} host module, through which a guest calls another deployed function:
 * <pre>
 * call(name_ptr i32, name_len i32, input_ptr i32, input_len i32) -> i32
 *     runs the function with the input bytes; the output length (>= 0), or a negative error:
 *     -1 not found, -2 call depth limit, -3 deadline, -4 the callee failed, -5 overloaded,
 *     -6 bad arguments (out of bounds, name not UTF-8)
 * call_output(buf_ptr i32, buf_len i32) -> i32
 *     copies up to buf_len bytes of the last successful call's output; the count, or -6
 * </pre>
 */
final class EngineCalls {
  static final String MODULE = "wasmengine";
  static final Map<String, Signature> SIGNATURES = Map.of(
      "call", new Signature(List.of("i32", "i32", "i32", "i32"), List.of("i32")),
      "call_output", new Signature(List.of("i32", "i32"), List.of("i32")));

  private FunctionCaller caller = FunctionCaller.NONE;
  private byte[] lastOutput = new byte[0];

  void bind(FunctionCaller caller) {
    this.caller = caller;
    this.lastOutput = new byte[0];
  }

  void unbind() {
    this.caller = FunctionCaller.NONE;
    this.lastOutput = new byte[0];
  }

  long[] invoke(String function, GuestMemory memory, long[] args) {
    return new long[] {function.equals("call") ? call(memory, args) : output(memory, args)};
  }

  private int call(GuestMemory memory, long[] args) {
    String name;
    byte[] input;
    try {
      name = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(memory.read((int) args[0], (int) args[1])))
          .toString();
      input = memory.read((int) args[2], (int) args[3]);
    } catch (TrapException | CharacterCodingException | NegativeArraySizeException e) {
      return FunctionCaller.BAD_ARGUMENTS;
    }
    FunctionCaller.Outcome outcome = caller.call(name, input);
    if (!outcome.succeeded()) {
      return outcome.code();
    }
    lastOutput = outcome.output();
    return lastOutput.length;
  }

  private int output(GuestMemory memory, long[] args) {
    int length = (int) Math.min(Math.max(0, args[1]), lastOutput.length);
    try {
      memory.write((int) args[0], java.util.Arrays.copyOf(lastOutput, length));
    } catch (TrapException e) {
      return FunctionCaller.BAD_ARGUMENTS;
    }
    return length;
  }
}
