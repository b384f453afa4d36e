package dev.wasmengine.runtime;

import dev.wasmengine.runtime.wasi.WasiCall;

/**
 * What the host functions of one call see: the WASI grant and whom the guest may call. Bound to
 * an instance just before the call runs, unbound after, so pooled instances carry nothing over.
 */
public record HostContext(WasiCall wasi, FunctionCaller caller) {
  public static final HostContext NONE = new HostContext(WasiCall.none(), FunctionCaller.NONE);
}
