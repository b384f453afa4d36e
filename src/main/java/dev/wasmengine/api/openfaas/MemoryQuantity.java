package dev.wasmengine.api.openfaas;

import dev.wasmengine.error.BadRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes memory quantity as OpenFaaS's {@code limits.memory} carries it ("5Mi", "128M",
 * "1Gi", "1048576"), turned into the 64 KiB wasm pages that hold at least that much.
 */
final class MemoryQuantity {
  private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([KMGTPE]i|[kMGTPE])?");
  private static final Map<String, BigDecimal> UNITS = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
      Map.entry("k", BigDecimal.TEN.pow(3)), Map.entry("M", BigDecimal.TEN.pow(6)), Map.entry("G", BigDecimal.TEN.pow(9)),
      Map.entry("T", BigDecimal.TEN.pow(12)), Map.entry("P", BigDecimal.TEN.pow(15)), Map.entry("E", BigDecimal.TEN.pow(18)));
  private static final BigDecimal PAGE = BigDecimal.valueOf(64 * 1024);
  /** A wasm32 memory addresses 4 GiB: 65536 pages. */
  static final int MAX_PAGES = 65_536;

  private MemoryQuantity() {}

  static int pages(String quantity) {
    Matcher matcher = QUANTITY.matcher(quantity.strip());
    if (!matcher.matches()) {
      throw new BadRequestException("limits.memory \"" + quantity
          + "\" is not a memory quantity such as 64Mi, 128M or 1Gi");
    }
    BigDecimal bytes = new BigDecimal(matcher.group(1))
        .multiply(matcher.group(2) == null ? BigDecimal.ONE : UNITS.get(matcher.group(2)));
    BigDecimal pages = bytes.divide(PAGE, 0, RoundingMode.CEILING);
    if (pages.signum() <= 0) {
      throw new BadRequestException("limits.memory \"" + quantity + "\" is less than one 64 KiB wasm page");
    }
    if (pages.compareTo(BigDecimal.valueOf(MAX_PAGES)) > 0) {
      throw new BadRequestException("limits.memory \"" + quantity + "\" is more than the 4Gi a wasm32 memory can address");
    }
    return pages.intValueExact();
  }
}
