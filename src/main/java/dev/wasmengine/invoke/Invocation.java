package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Instant;
import java.util.Optional;

/**
 * One call as it travels on the event bus: the input as the body, the rest as headers, so it
 * crosses a clustered bus unchanged.
 *
 * @param depth    function-to-function nesting (0 from outside)
 * @param deadline the latest moment the caller will accept an answer, if it set one
 */
public record Invocation(String function, Buffer input, int depth, Optional<Instant> deadline) {

  public static Invocation of(String function, Buffer input) {
    return new Invocation(function, input, 0, Optional.empty());
  }

  /** Reads a message of the invocation address; its body must be the input buffer (or empty). */
  public static Invocation fromMessage(MultiMap headers, Object body) {
    if (body != null && !(body instanceof Buffer)) {
      throw new BadRequestException("an invocation's body must be a buffer holding the input, not "
          + body.getClass().getSimpleName());
    }
    String function = headers.get(Addresses.FUNCTION_HEADER);
    if (!FunctionNames.isValid(function)) {
      throw new BadRequestException("an invocation needs a valid \"" + Addresses.FUNCTION_HEADER + "\" header");
    }
    String depthText = headers.get(Addresses.DEPTH_HEADER);
    int depth = depthText == null ? 0 : (int) Math.min(Integer.MAX_VALUE, nonNegative(depthText, Addresses.DEPTH_HEADER));
    Optional<Instant> deadline = Optional.ofNullable(headers.get(Addresses.DEADLINE_HEADER))
        .map(text -> Instant.ofEpochMilli(nonNegative(text, Addresses.DEADLINE_HEADER)));
    return new Invocation(function, body == null ? Buffer.buffer() : (Buffer) body, depth, deadline);
  }

  public DeliveryOptions deliveryOptions(long timeoutMillis) {
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMillis)
        .addHeader(Addresses.FUNCTION_HEADER, function)
        .addHeader(Addresses.DEPTH_HEADER, Integer.toString(depth));
    deadline.ifPresent(at -> options.addHeader(Addresses.DEADLINE_HEADER, Long.toString(at.toEpochMilli())));
    return options;
  }

  private static long nonNegative(String text, String header) {
    try {
      long value = Long.parseLong(text.strip());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadRequestException("header \"" + header + "\" must be a non-negative integer");
  }
}
