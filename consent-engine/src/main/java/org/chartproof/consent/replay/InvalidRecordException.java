package org.chartproof.consent.replay;

/**
 * A recorded decision that cannot be read (not JSON, a missing or malformed field). The message
 * names the field, never its content beyond codes and references.
 */
public final class InvalidRecordException extends RuntimeException {

  InvalidRecordException(String message) {
    super(message);
  }
}
