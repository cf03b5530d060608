package org.chartproof.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything measured so far, round by round, warm-up rounds included. */
final class Results {

  /**
   * One round.
   *
   * @param number 1-based, counted separately for warm-up and measured rounds
   * @param warmup true for a warm-up round, whose figures the summary leaves out
   * @param order the target labels in the order they ran
   * @param byLabel each target's results in {@link Phase} order
   */
  record Round(
      int number, boolean warmup, List<String> order, Map<String, List<PhaseResult>> byLabel) {
    Round {
      order = List.copyOf(order);
      byLabel = Map.copyOf(byLabel);
    }
  }

  private final List<Round> rounds = new ArrayList<>();

  void add(Round round) {
    rounds.add(round);
  }

  List<Round> rounds() {
    return List.copyOf(rounds);
  }

  /** Per measured round, the given target's results in {@link Phase} order. */
  List<List<PhaseResult>> measured(String label) {
    return rounds.stream().filter(r -> !r.warmup()).map(r -> r.byLabel().get(label)).toList();
  }

  /** Failed requests and skipped phases over the whole run, warm-up rounds and phases included. */
  long totalErrors() {
    return rounds.stream()
        .flatMap(r -> r.byLabel().values().stream())
        .flatMap(List::stream)
        .mapToLong(PhaseResult::totalErrors)
        .sum();
  }
}
