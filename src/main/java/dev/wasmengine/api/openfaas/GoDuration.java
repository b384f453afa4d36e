package dev.wasmengine.api.openfaas;

import dev.wasmengine.error.BadRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as OpenFaaS writes timeouts, in Go's notation ("10s", "1m30s", "500ms", "2h"), or a
 * bare number of seconds as the classic watchdog also accepts.
 */
final class GoDuration {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, BigDecimal> MILLIS = Map.of(
      "ns", new BigDecimal("0.000001"), "us", new BigDecimal("0.001"), "µs", new BigDecimal("0.001"),
      "ms", BigDecimal.ONE, "s", BigDecimal.valueOf(1000), "m", BigDecimal.valueOf(60_000),
      "h", BigDecimal.valueOf(3_600_000));
  /** The longest deadline a call may have, as the engine's own timeout_ms allows. */
  static final long MAX_MILLIS = 3_600_000;

  private GoDuration() {}

  static long millis(String text, String field) {
    String value = text.strip();
    BigDecimal total = BigDecimal.ZERO;
    if (value.matches("[0-9]+")) {
      total = new BigDecimal(value).multiply(MILLIS.get("s"));
    } else {
      Matcher matcher = PART.matcher(value);
      int at = 0;
      while (at < value.length() && matcher.find(at) && matcher.start() == at) {
        total = total.add(new BigDecimal(matcher.group(1)).multiply(MILLIS.get(matcher.group(2))));
        at = matcher.end();
      }
      if (value.isEmpty() || at != value.length()) {
        throw new BadRequestException(field + " \"" + text + "\" is not a duration such as 10s, 1m30s or 500ms");
      }
    }
    BigDecimal millis = total.setScale(0, RoundingMode.CEILING);
    if (millis.signum() <= 0 || millis.compareTo(BigDecimal.valueOf(MAX_MILLIS)) > 0) {
      throw new BadRequestException(field + " \"" + text + "\" must be from 1ms to 1h");
    }
    return millis.longValueExact();
  }
}
