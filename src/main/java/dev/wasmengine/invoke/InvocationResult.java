package dev.wasmengine.invoke;

import dev.wasmengine.runtime.HttpHeader;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * What a function answered.
 *
 * @param status    the HTTP status: 200 for ABI 1 and ABI 2, the function's own for HTTP functions
 * @param headers   response headers the function set (HTTP functions only)
 * @param coldStart whether the call had to instantiate on its own path
 */
public record InvocationResult(int status, List<HttpHeader> headers, Buffer output, boolean coldStart) {
  public InvocationResult {
    headers = List.copyOf(headers);
  }
}
