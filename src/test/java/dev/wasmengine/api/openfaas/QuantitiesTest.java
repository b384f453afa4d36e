package dev.wasmengine.api.openfaas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.error.BadRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quantities OpenFaaS deployments carry: memory limits and watchdog timeouts. */
class QuantitiesTest {
  @Test
  void a_memory_limit_becomes_the_wasm_pages_that_hold_it() {
    assertEquals(80, MemoryQuantity.pages("5Mi"));
    assertEquals(1024, MemoryQuantity.pages("64Mi"));
    assertEquals(16_384, MemoryQuantity.pages("1Gi"));
    assertEquals(1526, MemoryQuantity.pages("100M"), "decimal units round up to whole pages");
    assertEquals(1, MemoryQuantity.pages("1"), "a byte needs a page");
    assertEquals(2, MemoryQuantity.pages("65537"));
    assertEquals(24, MemoryQuantity.pages("1.5Mi"));
    assertEquals(65_536, MemoryQuantity.pages("4Gi"));
  }

  @Test
  void a_memory_limit_that_is_no_quantity_or_out_of_range_is_refused() {
    for (String bad : List.of("", "lots", "5MB", "-1Mi", "5 Mi", "0", "4097Mi", "1Ti", "1e3")) {
      assertThrows(BadRequestException.class, () -> MemoryQuantity.pages(bad), bad);
    }
  }

  @Test
  void a_timeout_reads_as_go_writes_durations() {
    assertEquals(10_000, GoDuration.millis("10s", "t"));
    assertEquals(90_000, GoDuration.millis("1m30s", "t"));
    assertEquals(500, GoDuration.millis("500ms", "t"));
    assertEquals(1_500, GoDuration.millis("1.5s", "t"));
    assertEquals(20_000, GoDuration.millis("20", "t"), "bare seconds, as the classic watchdog reads them");
    assertEquals(3_600_000, GoDuration.millis("1h", "t"));
  }

  @Test
  void a_timeout_that_is_no_duration_or_out_of_range_is_refused() {
    for (String bad : List.of("", "soon", "10 s", "s", "0s", "2h", "-1s", "99999999999999999999h")) {
      BadRequestException e = assertThrows(BadRequestException.class, () -> GoDuration.millis(bad, "envVars.exec_timeout"), bad);
      assertTrue(e.getMessage().startsWith("envVars.exec_timeout"), e.getMessage());
    }
  }
}
