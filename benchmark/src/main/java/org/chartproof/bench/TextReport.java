package org.chartproof.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Plain-text lines for a terminal and for pasting into docs/benchmarks.md. */
final class TextReport {

  private final int labelWidth;

  /**
   * @param labelB null when only A is measured
   */
  TextReport(String labelA, String labelB) {
    this.labelWidth =
        labelB == null
            ? labelA.length()
            : Math.max(labelA.length(), labelB.length() + 1 + labelA.length());
  }

  /** One target's figures for one phase, plus a loud line if anything failed. */
  String phaseLine(String label, PhaseResult r) {
    if (r.skipped()) {
      return String.format(
          Locale.ROOT,
          "  %s  %-15s !!! SKIPPED, counted as an error: %s",
          pad(label),
          r.phase().label(),
          r.firstError());
    }
    String line =
        String.format(
            Locale.ROOT,
            "  %s  %-15s %9s/s   p50 %8s  p95 %8s  p99 %8s ms   %d ok in %.1f s",
            pad(label),
            r.phase().label(),
            figure(r.throughput(), 1),
            figure(r.p50Ms(), 2),
            figure(r.p95Ms(), 2),
            figure(r.p99Ms(), 2),
            r.requests(),
            r.seconds());
    if (r.totalErrors() == 0) {
      return line;
    }
    String kinds =
        r.errorKinds().entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining(", "));
    return line
        + String.format(
            Locale.ROOT,
            "%n  %s  !!! %d ERRORS (%d in warm-up; %s)%n  %s      first: %s",
            pad(""),
            r.totalErrors(),
            r.warmupErrors(),
            kinds,
            pad(""),
            r.firstError());
  }

  /** B/A for one phase: throughput, p50 and p99 latency. */
  String ratioLine(String labelA, String labelB, PhaseResult a, PhaseResult b) {
    return String.format(
        Locale.ROOT,
        "  %s  %-15s throughput %6s   p50 %6s   p99 %6s",
        pad(labelB + "/" + labelA),
        a.phase().label(),
        figure(Ratios.ratio(b.throughput(), a.throughput()), 2),
        figure(Ratios.ratio(b.p50Ms(), a.p50Ms()), 2),
        figure(Ratios.ratio(b.p99Ms(), a.p99Ms()), 2));
  }

  /**
   * The table over all rounds: per metric the per-round figures of A (and B), and with B the median
   * and range of the per-round B/A ratios; with A alone the median of its figures.
   */
  static String summary(String labelA, String labelB, List<SummaryRow> rows) {
    boolean withB = labelB != null;
    List<String[]> table = new ArrayList<>();
    table.add(
        withB
            ? new String[] {
              "metric",
              labelA + " per round",
              labelB + " per round",
              labelB + "/" + labelA + " median",
              "min-max"
            }
            : new String[] {"metric", labelA + " per round", "median"});
    for (SummaryRow row : rows) {
      int decimals = row.metric().latency() ? 2 : 1;
      if (withB) {
        table.add(
            new String[] {
              row.name(),
              figures(row.a(), decimals),
              figures(row.b(), decimals),
              figure(Ratios.median(row.ratios()), 2),
              figure(Ratios.min(row.ratios()), 2) + "-" + figure(Ratios.max(row.ratios()), 2)
            });
      } else {
        table.add(
            new String[] {
              row.name(), figures(row.a(), decimals), figure(Ratios.median(row.a()), decimals)
            });
      }
    }
    return render(table);
  }

  /** A number with fixed decimals, or {@code n/a} for a missing figure. */
  static String figure(double value, int decimals) {
    return Double.isFinite(value)
        ? String.format(Locale.ROOT, "%." + decimals + "f", value)
        : "n/a";
  }

  private static String figures(double[] values, int decimals) {
    return Arrays.stream(values)
        .mapToObj(v -> figure(v, decimals))
        .collect(Collectors.joining(" "));
  }

  private static String render(List<String[]> table) {
    int[] widths = new int[table.get(0).length];
    for (String[] row : table) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : table) {
      StringBuilder line = new StringBuilder(" ");
      for (int i = 0; i < row.length; i++) {
        line.append(' ').append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return out.toString();
  }

  private String pad(String label) {
    return label + " ".repeat(Math.max(0, labelWidth - label.length()));
  }
}
