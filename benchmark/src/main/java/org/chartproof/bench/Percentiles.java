package org.chartproof.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Nearest-rank percentiles over sorted samples. */
final class Percentiles {

  private Percentiles() {}

  /**
   * The nearest-rank percentile: the smallest sample such that at least {@code p} percent of the
   * samples are less than or equal to it, i.e. {@code sorted[ceil(p / 100 * n) - 1]}.
   *
   * @param sorted samples in ascending order, not empty
   * @param p percentile in (0, 100]
   * @throws IllegalArgumentException if {@code sorted} is empty or {@code p} is out of range
   */
  static long nearestRank(long[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    // exact decimal arithmetic: with doubles, 0.95 * 100 samples can round up to rank 96
    int rank =
        BigDecimal.valueOf(p)
            .multiply(BigDecimal.valueOf(sorted.length))
            .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
            .intValueExact();
    return sorted[Math.max(rank, 1) - 1];
  }
}
