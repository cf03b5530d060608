package org.chartproof.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.chartproof.bench.PhaseRunner.Workload;

/** Runs the chosen phases on one target, in {@link Phase} order, each after its warm-up. */
final class PhaseSequence {

  private final Options options;
  private final PhaseRunner runner;

  PhaseSequence(Options options) {
    this.options = options;
    this.runner = new PhaseRunner(options.concurrency());
  }

  /**
   * @param onResult called with each phase's result as soon as it is known, for live output
   * @return the results of {@link Options#phases()}, in that order
   */
  List<PhaseResult> run(Target target, Consumer<PhaseResult> onResult) throws InterruptedException {
    List<PhaseResult> results = new ArrayList<>();
    if (options.phases().contains(Phase.CREATES)) {
      add(
          results,
          measure(
              target, Phase.CREATES, Workloads.creates(target, options.observationsPerPatient())),
          onResult);
    }

    // ids from every earlier round too: reads and searches see the target's whole data set
    String[] patients = target.patients.snapshot();
    String[] observations = target.observations.snapshot();
    if (options.phases().contains(Phase.READS)) {
      add(
          results,
          patients.length == 0
              ? PhaseResult.skipped(Phase.READS, "no Patient was created")
              : measure(target, Phase.READS, Workloads.reads(patients, observations)),
          onResult);
    }

    // one fixed set for both search phases, so the cached phase repeats searches it has seen
    String[] searched = sample(target.searchablePatients.snapshot(), options.searchPatients());
    for (Phase phase : List.of(Phase.SEARCH_NO_CACHE, Phase.SEARCH_CACHED)) {
      if (!options.phases().contains(phase)) {
        continue;
      }
      add(
          results,
          searched.length == 0
              ? PhaseResult.skipped(phase, "no Patient with all its Observations was created")
              : measure(
                  target, phase, Workloads.searches(searched, phase == Phase.SEARCH_NO_CACHE)),
          onResult);
    }
    return results;
  }

  private PhaseResult measure(Target target, Phase phase, Workload workload)
      throws InterruptedException {
    PhaseResult warmup =
        options.warmupSeconds() > 0
            ? runner.run(phase, target.http(), options.warmupSeconds(), workload)
            : null;
    PhaseResult measured = runner.run(phase, target.http(), options.seconds(), workload);
    return warmup == null ? measured : measured.withWarmup(warmup);
  }

  private static void add(
      List<PhaseResult> results, PhaseResult result, Consumer<PhaseResult> onResult) {
    results.add(result);
    onResult.accept(result);
  }

  /** Up to {@code n} distinct ids picked at random. */
  static String[] sample(String[] ids, int n) {
    String[] copy = ids.clone();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int k = Math.min(n, copy.length);
    for (int i = 0; i < k; i++) { // partial Fisher-Yates shuffle
      int j = i + random.nextInt(copy.length - i);
      String swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return Arrays.copyOf(copy, k);
  }
}
