package org.chartproof.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RatiosTest {

  @Test
  void ratioIsBOverA() {
    assertThat(Ratios.ratio(50, 100)).isEqualTo(0.5);
    assertThat(Ratios.ratio(120, 100)).isEqualTo(1.2, within(1e-12));
  }

  @Test
  void ratioIsMissingWithoutBothFigures() {
    assertThat(Ratios.ratio(1, 0)).isNaN();
    assertThat(Ratios.ratio(Double.NaN, 1)).isNaN();
    assertThat(Ratios.ratio(1, Double.NaN)).isNaN();
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Ratios.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Ratios.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(Ratios.median(new double[] {0.9})).isEqualTo(0.9);
  }

  @Test
  void statisticsIgnoreMissingFigures() {
    double[] values = {Double.NaN, 1.1, 0.8, Double.NaN, 0.95};

    assertThat(Ratios.median(values)).isEqualTo(0.95);
    assertThat(Ratios.min(values)).isEqualTo(0.8);
    assertThat(Ratios.max(values)).isEqualTo(1.1);
    assertThat(Ratios.median(new double[] {Double.NaN})).isNaN();
    assertThat(Ratios.min(new double[0])).isNaN();
  }

  @Test
  void summaryRowsHoldPerRoundFiguresAndRatios() {
    List<List<PhaseResult>> a = List.of(round(100, 10), round(200, 20));
    List<List<PhaseResult>> b = List.of(round(50, 20), round(300, 10));

    List<SummaryRow> rows = SummaryRow.of(List.of(Phase.values()), a, b);

    assertThat(rows).hasSize(Phase.values().length * Metric.values().length);
    SummaryRow creates = rows.get(0);
    assertThat(creates.name()).isEqualTo("creates/s");
    assertThat(creates.a()).containsExactly(100, 200);
    assertThat(creates.b()).containsExactly(50, 300);
    assertThat(creates.ratios()).containsExactly(0.5, 1.5);
    assertThat(Ratios.median(creates.ratios())).isEqualTo(1.0);
    SummaryRow p50 = rows.get(1);
    assertThat(p50.name()).isEqualTo("creates p50 ms");
    assertThat(p50.ratios()).containsExactly(2.0, 0.5);
  }

  @Test
  void summaryWithoutBHasNoRatios() {
    List<SummaryRow> rows = SummaryRow.of(List.of(Phase.values()), List.of(round(100, 10)), null);

    assertThat(rows.get(0).b()).isNull();
    assertThat(rows.get(0).ratios()).isNull();
  }

  private static List<PhaseResult> round(double throughput, double latencyMs) {
    return List.of(Phase.values()).stream()
        .map(
            phase ->
                new PhaseResult(
                    phase,
                    20,
                    1,
                    throughput,
                    latencyMs,
                    latencyMs,
                    latencyMs,
                    0,
                    0,
                    Map.of(),
                    null))
        .toList();
  }
}
