package io.stepbox.bench;

import java.util.Collection;

/** Nearest-rank percentiles and ratios of a benchmark's samples, in milliseconds. */
final class Percentiles {
  private Percentiles() {}

  /**
   * The smallest sample with at least {@code percentile}% of the samples at or below it; 0 when
   * there are none.
   */
  static long of(Collection<Long> samples, int percentile) {
    long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** {@code a / b}, rounded to two decimals. */
  static double ratio(long a, long b) {
    return Math.round(100.0 * a / Math.max(1, b)) / 100.0;
  }
}
