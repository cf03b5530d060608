package org.chartproof.bench;

import java.util.Arrays;

/** A growable array of durations in nanoseconds, written by one thread only. */
final class LatencyLog {

  private long[] values = new long[4096];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  int size() {
    return size;
  }

  /** All durations of the given logs, sorted ascending. */
  static long[] mergeSorted(Iterable<LatencyLog> logs) {
    int total = 0;
    for (LatencyLog log : logs) {
      total += log.size;
    }
    long[] merged = new long[total];
    int at = 0;
    for (LatencyLog log : logs) {
      System.arraycopy(log.values, 0, merged, at, log.size);
      at += log.size;
    }
    Arrays.sort(merged);
    return merged;
  }
}
