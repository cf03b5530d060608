package org.chartproof.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one phase on one target in one round. Throughput and percentiles count successful
 * (2xx) requests only; failures are counted apart and make the whole run invalid.
 *
 * @param seconds measured wall time, from the start until the last request in flight returned
 * @param requests successful requests in the measured window
 * @param throughput successful requests per second; NaN when the phase was skipped
 * @param p50Ms latency percentiles in milliseconds (nearest rank); NaN without successful requests
 * @param errors failed requests in the measured window
 * @param warmupErrors failed requests during the warm-up before it
 * @param errorKinds failures by kind ("HTTP 500", "HttpTimeoutException", ...), warm-up included
 * @param firstError the first failure's request and response, shortened; null without failures
 */
record PhaseResult(
    Phase phase,
    double seconds,
    long requests,
    double throughput,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    long errors,
    long warmupErrors,
    Map<String, Long> errorKinds,
    String firstError) {

  private static final String SKIPPED = "skipped";

  PhaseResult {
    errorKinds = Map.copyOf(errorKinds);
  }

  /** Figures from the sorted latencies of a measured window. */
  static PhaseResult of(
      Phase phase,
      long elapsedNanos,
      long[] sortedNanos,
      long errors,
      Map<String, Long> errorKinds,
      String firstError) {
    double seconds = elapsedNanos / 1e9;
    int n = sortedNanos.length;
    return new PhaseResult(
        phase,
        seconds,
        n,
        n / seconds,
        millis(sortedNanos, 50),
        millis(sortedNanos, 95),
        millis(sortedNanos, 99),
        errors,
        0,
        errorKinds,
        firstError);
  }

  /** A phase that could not run at all, e.g. reads when no create succeeded; counts as an error. */
  static PhaseResult skipped(Phase phase, String reason) {
    double nan = Double.NaN;
    return new PhaseResult(phase, 0, 0, nan, nan, nan, nan, 1, 0, Map.of(SKIPPED, 1L), reason);
  }

  /** This measured result, with the warm-up's failures added. */
  PhaseResult withWarmup(PhaseResult warmup) {
    if (warmup.errors() == 0) {
      return this;
    }
    Map<String, Long> kinds = new TreeMap<>(errorKinds);
    warmup.errorKinds().forEach((kind, count) -> kinds.merge(kind, count, Long::sum));
    return new PhaseResult(
        phase,
        seconds,
        requests,
        throughput,
        p50Ms,
        p95Ms,
        p99Ms,
        errors,
        warmupErrors + warmup.errors(),
        kinds,
        firstError != null ? firstError : "during warm-up: " + warmup.firstError());
  }

  /** True for a phase that did not run; see {@link #skipped(Phase, String)}. */
  boolean skipped() {
    return errorKinds.containsKey(SKIPPED);
  }

  long totalErrors() {
    return errors + warmupErrors;
  }

  private static double millis(long[] sortedNanos, double percentile) {
    return sortedNanos.length == 0
        ? Double.NaN
        : Percentiles.nearestRank(sortedNanos, percentile) / 1e6;
  }
}
