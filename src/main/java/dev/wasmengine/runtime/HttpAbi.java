package dev.wasmengine.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WASI command serving one HTTP request, CGI style: the request is described in environment
 * variables in both conventions guests are written for (CGI/WAGI's {@code REQUEST_METHOD} ...
 * {@code HTTP_*}, and the OpenFaaS watchdog's {@code Http_Method} ... {@code Http_<Header>}),
 * the body is stdin, and stdout is the response (see {@link CgiResponse}). argv is the function's
 * name alone, as a program sees its own name.
 */
public final class HttpAbi implements FunctionAbi {
  static final HttpAbi INSTANCE = new HttpAbi();
  /** The envVars entry that sets the content type of a plain stdout answer, as the watchdog reads it. */
  public static final String CONTENT_TYPE_VAR = "content_type";
  static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";

  private HttpAbi() {}

  @Override
  public void check(ModuleShape shape, String functionName) {
    CommandRun.checkStart(shape, "an HTTP function (a WASI command)");
  }

  @Override
  public GuestResponse invoke(GuestInstance instance, String functionName, GuestRequest request, FunctionGrant grant,
      GuestLimits limits, FunctionCaller caller) {
    CommandRun.checkInput(request.body().length, limits, "the request body");
    CommandRun.Output output = CommandRun.run(instance, List.of(functionName), environment(functionName, request, grant),
        request.body(), grant, limits, caller);
    String contentType = grant.env().getOrDefault(CONTENT_TYPE_VAR, DEFAULT_CONTENT_TYPE);
    return CgiResponse.parse(output.stdout(), contentType, output.stderr());
  }

  /** The function's own variables first; the request's win over them, so a call cannot be misdescribed. */
  static Map<String, String> environment(String functionName, GuestRequest request, FunctionGrant grant) {
    Map<String, String> env = new LinkedHashMap<>(grant.env());
    String contentType = request.header("Content-Type").orElse("");
    String length = Integer.toString(request.body().length);
    env.put("GATEWAY_INTERFACE", "CGI/1.1");
    env.put("SERVER_PROTOCOL", "HTTP/1.1");
    env.put("SCRIPT_NAME", "/function/" + functionName);
    env.put("REQUEST_METHOD", request.method());
    env.put("QUERY_STRING", request.query());
    env.put("PATH_INFO", request.path());
    env.put("CONTENT_TYPE", contentType);
    // The whole body is on stdin, whatever framing it came in (the gateway sends it chunked).
    env.put("CONTENT_LENGTH", length);
    env.put("Http_Method", request.method());
    env.put("Http_Query", request.query());
    env.put("Http_Path", request.path());
    env.put("Http_ContentType", contentType);
    env.put("Http_Content_Length", length);
    Map<String, String> cgiHeaders = new LinkedHashMap<>();
    Map<String, String> watchdogHeaders = new LinkedHashMap<>();
    for (HttpHeader header : request.headers()) {
      if (header.value().indexOf('\0') >= 0) {
        continue;
      }
      String cgiName = cgiName(header.name());
      // CGI passes the body's type and length only as CONTENT_TYPE and CONTENT_LENGTH.
      if (!cgiName.equals("HTTP_CONTENT_TYPE") && !cgiName.equals("HTTP_CONTENT_LENGTH")) {
        cgiHeaders.merge(cgiName, header.value(), (first, next) -> first + ", " + next);
      }
      watchdogHeaders.merge(watchdogName(header.name()), header.value(), (first, next) -> first + ", " + next);
    }
    env.putAll(cgiHeaders);
    watchdogHeaders.forEach(env::putIfAbsent);
    return env;
  }

  /** {@code X-Test-Header} becomes {@code HTTP_X_TEST_HEADER}. */
  static String cgiName(String header) {
    return "HTTP_" + header.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  /**
   * {@code x-test-header} becomes {@code Http_X_Test_Header}: the watchdog names variables after
   * the canonical header name (each word capitalised), whatever case the client sent.
   */
  static String watchdogName(String header) {
    StringBuilder name = new StringBuilder("Http_");
    boolean wordStart = true;
    for (char c : header.toCharArray()) {
      if (c == '-') {
        name.append('_');
        wordStart = true;
      } else {
        name.append(wordStart ? Character.toUpperCase(c) : Character.toLowerCase(c));
        wordStart = false;
      }
    }
    return name.toString();
  }
}
