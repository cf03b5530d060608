package org.chartproof.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One metric over all rounds.
 *
 * @param a target A's figure per round
 * @param b target B's figure per round, or null when there is no B
 * @param ratios B/A per round (NaN where a figure is missing), or null when there is no B
 */
record SummaryRow(String name, Metric metric, double[] a, double[] b, double[] ratios) {

  /**
   * One row per phase and metric, in phase order.
   *
   * @param phases the phases each round ran, in order
   * @param a per round, A's results in the order of {@code phases}
   * @param b the same for B, or null
   */
  static List<SummaryRow> of(
      List<Phase> phases, List<List<PhaseResult>> a, List<List<PhaseResult>> b) {
    List<SummaryRow> rows = new ArrayList<>();
    for (int p = 0; p < phases.size(); p++) {
      Phase phase = phases.get(p);
      for (Metric metric : Metric.values()) {
        double[] figuresA = figures(a, p, metric);
        double[] figuresB = b == null ? null : figures(b, p, metric);
        double[] ratios = null;
        if (figuresB != null) {
          // equal lengths after a complete run; min() only guards a partial one
          ratios = new double[Math.min(figuresA.length, figuresB.length)];
          for (int i = 0; i < ratios.length; i++) {
            ratios[i] = Ratios.ratio(figuresB[i], figuresA[i]);
          }
        }
        rows.add(new SummaryRow(metric.name(phase), metric, figuresA, figuresB, ratios));
      }
    }
    return rows;
  }

  private static double[] figures(List<List<PhaseResult>> rounds, int position, Metric metric) {
    return rounds.stream().mapToDouble(round -> metric.of(round.get(position))).toArray();
  }
}
