package dev.wasmengine.bench;

import java.util.Arrays;

/** Latencies of one measure, in nanoseconds, and their percentiles. */
final class Samples {
  private long[] values = new long[1024];
  private int count;

  void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = nanos;
  }

  int count() {
    return count;
  }

  /** The p-th percentile (0..100) in microseconds; 0 when empty. */
  double percentileMicros(double p) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int index = (int) Math.min(count - 1, Math.floor(p / 100.0 * count));
    return sorted[index] / 1000.0;
  }
}
