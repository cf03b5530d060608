package org.chartproof.bench;

/** The measured phases, in the order every round runs them on a target. */
enum Phase {
  /** POST Patient, then POST its Observations; every create counts. */
  CREATES("creates"),
  /** GET Patient/{id} or Observation/{id} of resources created earlier. */
  READS("reads"),
  /** GET Observation?subject=... with Cache-Control: no-cache, so the server searches afresh. */
  SEARCH_NO_CACHE("search-no-cache"),
  /** The same searches without that header, so the server may answer from its search cache. */
  SEARCH_CACHED("search-cached");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
