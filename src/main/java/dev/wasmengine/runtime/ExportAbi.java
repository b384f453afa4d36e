package dev.wasmengine.runtime;

import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.LimitExceededException;
import dev.wasmengine.error.TrapException;
import dev.wasmengine.runtime.ModuleShape.ExportKind;
import dev.wasmengine.runtime.ModuleShape.Signature;
import java.util.List;

/**
 * ABI 1 of the original WasmEngine. The module exports a function named like the deployed
 * function, typed {@code (i32 ptr, i32 len) -> (i32 ptr, i32 len)}, its memory and the global
 * {@code __heap_base}. The host grows memory by one page, writes the args JSON at
 * {@code __heap_base}, calls, and reads the {@code len} bytes at {@code ptr} as the output. A
 * reused instance (policy {@code reuse}) is grown again only when the input would not fit. The
 * input is the call's body (the args JSON for the original's API); the output is a 200 body.
 */
public final class ExportAbi implements FunctionAbi {
  static final ExportAbi INSTANCE = new ExportAbi();
  static final String HEAP_BASE = "__heap_base";
  static final String MEMORY = "memory";
  static final Signature SIGNATURE = new Signature(List.of("i32", "i32"), List.of("i32", "i32"));
  private static final long PAGE = 64 * 1024;

  private ExportAbi() {}

  @Override
  public void check(ModuleShape shape, String functionName) {
    Signature signature = shape.function(functionName).orElseThrow(() -> new InvalidModuleException(
        "module exports no function named " + functionName + " (ABI 1 calls the export named like the function;"
            + " deploy with wasi_cap=true for a WASI command)"));
    if (!signature.equals(SIGNATURE)) {
      throw new InvalidModuleException("export " + functionName + " has type " + signature
          + "; ABI 1 needs " + SIGNATURE);
    }
    if (!shape.exports(MEMORY, ExportKind.MEMORY)) {
      throw new InvalidModuleException("module exports no memory named \"memory\", which ABI 1 needs");
    }
    if (!shape.exports(HEAP_BASE, ExportKind.GLOBAL)) {
      throw new InvalidModuleException("module exports no global " + HEAP_BASE
          + ", where ABI 1 writes the input (link with --export=__heap_base)");
    }
  }

  @Override
  public GuestResponse invoke(GuestInstance instance, String functionName, GuestRequest request, FunctionGrant grant,
      GuestLimits limits, FunctionCaller caller) {
    byte[] argsJson = request.body();
    CommandRun.checkInput(argsJson.length, limits, "the input");
    instance.bind(new HostContext(dev.wasmengine.runtime.wasi.WasiCall.none(), caller));
    try {
      int input = instance.globalI32(HEAP_BASE);
      long needed = Integer.toUnsignedLong(input) + argsJson.length;
      long pages = instance.memoryPages();
      int grow = instance.calls() == 1 ? 1 : (int) Math.max(0, (needed - pages * PAGE + PAGE - 1) / PAGE);
      if (grow > 0 && instance.growMemory(grow) < 0) {
        throw new TrapException("guest memory cannot grow by the " + grow + " page(s) that hold the input");
      }
      instance.writeMemory(input, argsJson);
      long[] result = instance.call(functionName, input, argsJson.length);
      int pointer = (int) result[0];
      int length = (int) result[1];
      if (length < 0 || Integer.toUnsignedLong(pointer) + length > Integer.toUnsignedLong(Integer.MAX_VALUE)) {
        throw new TrapException("function returned an impossible output slice (ptr " + Integer.toUnsignedString(pointer)
            + ", len " + Integer.toUnsignedString(length) + ")");
      }
      if (length > limits.maxOutputBytes()) {
        throw new LimitExceededException("output is " + length + " bytes; the limit is " + limits.maxOutputBytes());
      }
      return GuestResponse.ok(instance.readMemory(pointer, length), new byte[0]);
    } finally {
      instance.unbind();
    }
  }
}
