package org.chartproof.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Runs a workload on a fixed number of client threads for a fixed time. */
final class PhaseRunner {

  /** One unit of work, e.g. one read, or a Patient and its Observations. */
  @FunctionalInterface
  interface Workload {
    /**
     * Sends one or more requests through the worker; must return promptly once {@link
     * Worker#expired()} is true.
     */
    void step(Worker worker);
  }

  private final int concurrency;

  PhaseRunner(int concurrency) {
    this.concurrency = concurrency;
  }

  /**
   * Runs {@code workload} on every thread until {@code seconds} have passed; requests in flight
   * then finish and count, and the elapsed time includes them.
   */
  PhaseResult run(Phase phase, FhirHttp http, int seconds, Workload workload)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Worker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Worker worker = new Worker(http, deadline);
      Thread thread =
          new Thread(
              () -> {
                while (!worker.expired()) {
                  workload.step(worker);
                }
              },
              "bench-" + phase.label() + "-" + i);
      thread.setDaemon(true); // Ctrl-C must not wait for a phase to end
      workers.add(worker);
      threads.add(thread);
      thread.start();
    }
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } finally {
      threads.forEach(Thread::interrupt);
    }
    long elapsed = System.nanoTime() - start;

    long errors = 0;
    Map<String, Long> kinds = new TreeMap<>();
    String firstError = null;
    for (Worker worker : workers) {
      for (Map.Entry<String, Long> e : worker.errors().entrySet()) {
        kinds.merge(e.getKey(), e.getValue(), Long::sum);
        errors += e.getValue();
      }
      if (firstError == null) {
        firstError = worker.firstError();
      }
    }
    long[] sorted = LatencyLog.mergeSorted(workers.stream().map(Worker::latencies).toList());
    return PhaseResult.of(phase, elapsed, sorted, errors, kinds, firstError);
  }
}
