package dev.wasmengine.runtime;

/**
 * Lets a guest call another deployed function (the {@code wasmengine.call} import). Called on
 * the guest's own thread, it blocks until the callee answers or the caller's deadline passes.
 */
public interface FunctionCaller {
  /** Negative results of {@code wasmengine.call}, as documented for guests. */
  int NOT_FOUND = -1;
  int DEPTH_LIMIT = -2;
  int DEADLINE = -3;
  int CALLEE_FAILED = -4;
  int OVERLOADED = -5;
  int BAD_ARGUMENTS = -6;

  /** For calls that grant no function-to-function calls. */
  FunctionCaller NONE = (function, input) -> Outcome.failed(NOT_FOUND);

  Outcome call(String function, byte[] input);

  /** The callee's output, or a negative code. */
  record Outcome(byte[] output, int code) {
    public static Outcome of(byte[] output) {
      return new Outcome(output, 0);
    }

    public static Outcome failed(int code) {
      return new Outcome(new byte[0], code);
    }

    public boolean succeeded() {
      return code == 0;
    }
  }
}
