package dev.wasmengine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmengine.error.TrapException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an HTTP function's stdout becomes a response: CGI header block or plain body. */
class CgiResponseTest {
  private static final String PLAIN = "text/plain; charset=utf-8";

  private static GuestResponse parse(String stdout) {
    return CgiResponse.parse(stdout.getBytes(StandardCharsets.UTF_8), PLAIN, new byte[0]);
  }

  private static String body(GuestResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void a_header_block_sets_status_and_headers_in_lf_or_crlf() {
    for (String eol : List.of("\n", "\r\n")) {
      GuestResponse response = parse("Status: 404 Not Found" + eol + "Content-Type: text/html" + eol + "X-A:  b " + eol + eol
          + "gone" + eol);
      assertEquals(404, response.status());
      assertEquals(List.of(new HttpHeader("Content-Type", "text/html"), new HttpHeader("X-A", "b")), response.headers());
      assertEquals("gone" + eol, body(response));
    }
  }

  @Test
  void a_location_without_status_redirects_and_a_block_without_type_gets_the_default() {
    GuestResponse response = parse("Location: /elsewhere\n\n");
    assertEquals(302, response.status());
    assertEquals(List.of(new HttpHeader("Location", "/elsewhere"), new HttpHeader("Content-Type", PLAIN)),
        response.headers());
    assertEquals("", body(response));
  }

  @Test
  void output_that_is_not_a_header_block_is_all_body() {
    for (String stdout : List.of("hello", "hello\n\nworld", "Name: value but no blank line", "\nName: v\n\n",
        "Bad Name: v\n\nbody", "", "Ctl: a\u0001b\n\nbody")) {
      GuestResponse response = parse(stdout);
      assertEquals(200, response.status(), stdout);
      assertEquals(List.of(new HttpHeader("Content-Type", PLAIN)), response.headers(), stdout);
      assertEquals(stdout, body(response));
    }
  }

  @Test
  void a_malformed_status_is_the_guest_s_failure() {
    TrapException e = assertThrows(TrapException.class, () -> parse("Status: teapot\n\nbody"));
    assertEquals("function wrote a malformed CGI Status header: \"teapot\"", e.getMessage());
    assertThrows(TrapException.class, () -> parse("Status: 99 Too Low\n\n"));
  }

  @Test
  void watchdog_variable_names_are_canonical_header_names() {
    assertEquals("Http_X_Test_Header", HttpAbi.watchdogName("x-TEST-header"));
    assertEquals("Http_Content_Type", HttpAbi.watchdogName("content-type"));
    assertEquals("HTTP_X_TEST_HEADER", HttpAbi.cgiName("x-Test-header"));
  }
}
