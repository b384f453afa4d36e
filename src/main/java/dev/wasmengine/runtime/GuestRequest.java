package dev.wasmengine.runtime;

import java.util.List;
import java.util.Optional;

/**
 * One call as the guest receives it, described as the HTTP request that made it. Calls that did
 * not come over HTTP (the original's {@code /function/invoke}, the event-bus API) are a POST of
 * their input to {@code /}.
 *
 * @param path  the part of the URL path after the function's own route, always starting with "/"
 * @param query the raw query string without its '?', "" when none
 */
public record GuestRequest(String method, String path, String query, List<HttpHeader> headers, byte[] body) {

  public GuestRequest {
    headers = List.copyOf(headers);
  }

  public static GuestRequest of(byte[] body) {
    return new GuestRequest("POST", "/", "", List.of(), body);
  }

  /** The first value of a header, its name compared case-insensitively as HTTP does. */
  public Optional<String> header(String name) {
    return headers.stream().filter(header -> header.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst();
  }
}
