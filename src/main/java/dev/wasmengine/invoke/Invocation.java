package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.Local;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.runtime.GuestRequest;
import dev.wasmengine.runtime.HttpHeader;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One call as it travels on the event bus: the input as the body, the rest as headers, so it
 * crosses a clustered bus unchanged. A call that did not come over HTTP is a POST to "/".
 *
 * @param request  the HTTP request that made the call: method, path after the function's
 *                 route, query, headers (its body is {@code input})
 * @param depth    function-to-function nesting (0 from outside)
 * @param deadline the latest moment the caller will accept an answer, if it set one
 */
public record Invocation(FunctionRef function, RequestLine request, Buffer input, int depth,
    Optional<Instant> deadline) {

  /** An HTTP request less its body. */
  public record RequestLine(String method, String path, String query, List<HttpHeader> headers) {
    public static final RequestLine POST = new RequestLine("POST", "/", "", List.of());

    public RequestLine {
      headers = List.copyOf(headers);
    }
  }

  public static Invocation of(String function, Buffer input) {
    return of(FunctionRef.of(function), input);
  }

  public static Invocation of(FunctionRef function, Buffer input) {
    return new Invocation(function, RequestLine.POST, input, 0, Optional.empty());
  }

  /** The request as the guest receives it. */
  public GuestRequest guestRequest() {
    return new GuestRequest(request.method(), request.path(), request.query(), request.headers(), input.getBytes());
  }

  /**
   * Reads the invocation a message carries, or answers a malformed one with its failure and
   * gives nothing: what every consumer of an invocation address does first.
   */
  public static Optional<Invocation> read(Message<?> message) {
    try {
      return Optional.of(fromMessage(message.headers(), message.body()));
    } catch (EngineException e) {
      Failures.reply(message, e);
      return Optional.empty();
    }
  }

  /** Reads a message of the invocation address; its body must be the input buffer (or empty). */
  public static Invocation fromMessage(MultiMap headers, Object body) {
    if (body != null && !(body instanceof Buffer)) {
      throw new BadRequestException("an invocation's body must be a buffer holding the input, not "
          + body.getClass().getSimpleName());
    }
    String name = headers.get(Addresses.FUNCTION_HEADER);
    if (!FunctionNames.isValid(name)) {
      throw new BadRequestException("an invocation needs a valid \"" + Addresses.FUNCTION_HEADER + "\" header");
    }
    String namespace = headers.get(Addresses.NAMESPACE_HEADER);
    FunctionRef function = new FunctionRef(namespace == null ? FunctionRef.DEFAULT_NAMESPACE : namespace, name);
    String depthText = headers.get(Addresses.DEPTH_HEADER);
    int depth = depthText == null ? 0 : (int) Math.min(Integer.MAX_VALUE, nonNegative(depthText, Addresses.DEPTH_HEADER));
    Optional<Instant> deadline = Optional.ofNullable(headers.get(Addresses.DEADLINE_HEADER))
        .map(text -> Instant.ofEpochMilli(nonNegative(text, Addresses.DEADLINE_HEADER)));
    return new Invocation(function, requestLine(headers), body == null ? Buffer.buffer() : (Buffer) body, depth,
        deadline);
  }

  private static RequestLine requestLine(MultiMap headers) {
    String method = headers.get(Addresses.METHOD_HEADER);
    if (method == null) {
      return RequestLine.POST;
    }
    String path = headers.get(Addresses.PATH_HEADER);
    String query = headers.get(Addresses.QUERY_HEADER);
    return new RequestLine(method, path == null ? "/" : path, query == null ? "" : query,
        decodeHeaders(headers.getAll(Addresses.REQUEST_HEADER)));
  }

  public DeliveryOptions deliveryOptions(long timeoutMillis) {
    DeliveryOptions options = Local.delivery(timeoutMillis)
        .addHeader(Addresses.FUNCTION_HEADER, function.name())
        .addHeader(Addresses.DEPTH_HEADER, Integer.toString(depth));
    if (!function.inDefaultNamespace()) {
      options.addHeader(Addresses.NAMESPACE_HEADER, function.namespace());
    }
    deadline.ifPresent(at -> options.addHeader(Addresses.DEADLINE_HEADER, Long.toString(at.toEpochMilli())));
    if (!request.equals(RequestLine.POST)) {
      options.addHeader(Addresses.METHOD_HEADER, request.method())
          .addHeader(Addresses.PATH_HEADER, request.path())
          .addHeader(Addresses.QUERY_HEADER, request.query());
      encodeHeaders(request.headers(), Addresses.REQUEST_HEADER, options);
    }
    return options;
  }

  /** HTTP headers as repeated message headers "Name: value", in order. */
  static void encodeHeaders(List<HttpHeader> headers, String messageHeader, DeliveryOptions options) {
    headers.forEach(header -> options.addHeader(messageHeader, header.name() + ": " + header.value()));
  }

  static List<HttpHeader> decodeHeaders(List<String> lines) {
    List<HttpHeader> headers = new ArrayList<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new BadRequestException("an invocation header line must be \"Name: value\"");
      }
      headers.add(new HttpHeader(line.substring(0, colon), line.substring(colon + 1).stripLeading()));
    }
    return headers;
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
