package dev.wasmengine.runtime;

/**
 * Bounds on what crosses the host/guest boundary in one invocation.
 *
 * @param maxInputBytes  args JSON (ABI 1 writes it into guest memory; the original refused > 64 KiB)
 * @param maxOutputBytes captured stdout, or the result slice of an ABI 1 call
 */
public record GuestLimits(int maxInputBytes, int maxOutputBytes) {
  public static final GuestLimits DEFAULT = new GuestLimits(64 * 1024, 8 * 1024 * 1024);
}
