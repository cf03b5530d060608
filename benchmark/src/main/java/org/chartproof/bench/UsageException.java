package org.chartproof.bench;

/** A command line the harness cannot run, or a request for help; the message says what to fix. */
final class UsageException extends Exception {

  private final boolean helpRequested;

  private UsageException(String message, boolean helpRequested) {
    super(message);
    this.helpRequested = helpRequested;
  }

  UsageException(String message) {
    this(message, false);
  }

  static UsageException help() {
    return new UsageException("help requested", true);
  }

  /** True for {@code --help}: print the usage and exit successfully. */
  boolean helpRequested() {
    return helpRequested;
  }
}
