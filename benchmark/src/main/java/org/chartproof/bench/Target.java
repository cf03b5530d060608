package org.chartproof.bench;

/**
 * A server under test during the run: how to reach it, and the resources created on it so far,
 * which later phases and rounds read and search.
 */
final class Target {

  private final String label;
  private final FhirHttp http;
  private final ServerProcess server;
  final IdPool patients = new IdPool();
  final IdPool observations = new IdPool();

  /** Patients whose Observations were all created: the search phases query these. */
  final IdPool searchablePatients = new IdPool();

  /**
   * @param server the process the harness started for this target, or null for a given URL
   */
  Target(String label, FhirHttp http, ServerProcess server) {
    this.label = label;
    this.http = http;
    this.server = server;
  }

  String label() {
    return label;
  }

  FhirHttp http() {
    return http;
  }

  /** The started server, or null when the target is a URL given on the command line. */
  ServerProcess server() {
    return server;
  }
}
