package dev.wasmengine.runtime;

import dev.wasmengine.error.TrapException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an HTTP function's stdout. When it begins with a CGI header block (lines
 * {@code Name: value}, LF or CRLF, then an empty line) the block sets the status ({@code Status:
 * 404 Not Found}; a {@code Location} without a status is a 302) and headers, and the rest is the
 * body. Anything else is all body, a 200 of the function's content type: a guest that just prints
 * works unchanged.
 */
final class CgiResponse {
  private static final Pattern HEADER_LINE = Pattern.compile(
      "([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \\t]*([^\\x00-\\x08\\x0A-\\x1F\\x7F]*?)[ \\t]*");
  private static final Pattern STATUS = Pattern.compile("([1-5][0-9][0-9])(?:[ \\t].*)?");
  /** A header block longer than this is not a header block but a body that happens to look like one. */
  private static final int MAX_HEADER_BLOCK = 64 * 1024;

  private CgiResponse() {}

  static GuestResponse parse(byte[] stdout, String defaultContentType, byte[] stderr) {
    Optional<Block> block = headerBlock(stdout);
    if (block.isEmpty()) {
      return new GuestResponse(200, List.of(new HttpHeader("Content-Type", defaultContentType)), stdout, stderr);
    }
    List<HttpHeader> headers = new ArrayList<>();
    Integer status = null;
    boolean location = false;
    boolean contentType = false;
    for (HttpHeader header : block.get().headers()) {
      if (header.name().equalsIgnoreCase("Status")) {
        Matcher matcher = STATUS.matcher(header.value());
        if (!matcher.matches()) {
          throw new TrapException("function wrote a malformed CGI Status header: \"" + header.value() + "\"");
        }
        status = Integer.parseInt(matcher.group(1));
        continue;
      }
      location |= header.name().equalsIgnoreCase("Location");
      contentType |= header.name().equalsIgnoreCase("Content-Type");
      headers.add(header);
    }
    if (!contentType) {
      headers.add(new HttpHeader("Content-Type", defaultContentType));
    }
    int code = status != null ? status : location ? 302 : 200;
    byte[] body = Arrays.copyOfRange(stdout, block.get().bodyStart(), stdout.length);
    return new GuestResponse(code, headers, body, stderr);
  }

  private record Block(List<HttpHeader> headers, int bodyStart) {}

  /** The header block at the start of stdout, if it is one: every line a header, ended by an empty line. */
  private static Optional<Block> headerBlock(byte[] stdout) {
    List<HttpHeader> headers = new ArrayList<>();
    int start = 0;
    int limit = Math.min(stdout.length, MAX_HEADER_BLOCK);
    while (start < limit) {
      int end = indexOf(stdout, (byte) '\n', start, limit);
      if (end < 0) {
        return Optional.empty();
      }
      int lineEnd = end > start && stdout[end - 1] == '\r' ? end - 1 : end;
      String line = new String(stdout, start, lineEnd - start, StandardCharsets.UTF_8);
      if (line.isEmpty()) {
        return headers.isEmpty() ? Optional.empty() : Optional.of(new Block(headers, end + 1));
      }
      Matcher matcher = HEADER_LINE.matcher(line);
      if (!matcher.matches()) {
        return Optional.empty();
      }
      headers.add(new HttpHeader(matcher.group(1), matcher.group(2)));
      start = end + 1;
    }
    return Optional.empty();
  }

  private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
