package dev.wasmengine.runtime;

import java.util.List;

/**
 * What a call answered: an HTTP status, headers and body. {@code stderr} is what the guest wrote
 * to its standard error (bounded), which becomes the function's log and is never sent to the
 * caller.
 */
public record GuestResponse(int status, List<HttpHeader> headers, byte[] body, byte[] stderr) {

  public GuestResponse {
    headers = List.copyOf(headers);
  }

  /** A 200 carrying {@code body}, as ABI 1 and ABI 2 answer. */
  public static GuestResponse ok(byte[] body, byte[] stderr) {
    return new GuestResponse(200, List.of(), body, stderr);
  }
}
