package org.chartproof.bench;

import java.util.ArrayList;
import java.util.List;

/** Ids of resources created on one target, appended by many threads, read as snapshots. */
final class IdPool {

  private final List<String> ids = new ArrayList<>();

  synchronized void add(String id) {
    ids.add(id);
  }

  /** A copy, so that read phases pick ids without taking a lock per request. */
  synchronized String[] snapshot() {
    return ids.toArray(String[]::new);
  }
}
