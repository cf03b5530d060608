package org.chartproof.bench;

import java.util.function.ToDoubleFunction;

/** A figure of a phase that the report compares across targets and rounds. */
enum Metric {
  THROUGHPUT("/s", false, PhaseResult::throughput),
  P50(" p50 ms", true, PhaseResult::p50Ms),
  P95(" p95 ms", true, PhaseResult::p95Ms),
  P99(" p99 ms", true, PhaseResult::p99Ms);

  private final String suffix;
  private final boolean latency;
  private final ToDoubleFunction<PhaseResult> figure;

  Metric(String suffix, boolean latency, ToDoubleFunction<PhaseResult> figure) {
    this.suffix = suffix;
    this.latency = latency;
    this.figure = figure;
  }

  /** The row name for a phase, e.g. {@code creates/s} or {@code reads p99 ms}. */
  String name(Phase phase) {
    return phase.label() + suffix;
  }

  /** True for latencies (lower is better), false for throughput (higher is better). */
  boolean latency() {
    return latency;
  }

  double of(PhaseResult result) {
    return figure.applyAsDouble(result);
  }
}
