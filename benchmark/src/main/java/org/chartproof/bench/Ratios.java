package org.chartproof.bench;

import java.util.Arrays;

/** Ratios between two targets' figures and the statistics the summary quotes over rounds. */
final class Ratios {

  private Ratios() {}

  /**
   * {@code b / a}; NaN when either figure is missing (NaN) or {@code a} is zero, so that a phase
   * without successful requests never yields an infinite or misleading ratio.
   */
  static double ratio(double b, double a) {
    if (Double.isNaN(a) || Double.isNaN(b) || a == 0) {
      return Double.NaN;
    }
    return b / a;
  }

  /**
   * Median of the finite values (mean of the two middle ones for an even count); NaN when there are
   * none.
   */
  static double median(double[] values) {
    double[] finite = finiteSorted(values);
    if (finite.length == 0) {
      return Double.NaN;
    }
    int mid = finite.length / 2;
    return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
  }

  /** Smallest finite value; NaN when there are none. */
  static double min(double[] values) {
    double[] finite = finiteSorted(values);
    return finite.length == 0 ? Double.NaN : finite[0];
  }

  /** Largest finite value; NaN when there are none. */
  static double max(double[] values) {
    double[] finite = finiteSorted(values);
    return finite.length == 0 ? Double.NaN : finite[finite.length - 1];
  }

  private static double[] finiteSorted(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
  }
}
