package org.chartproof.ledger.entry;

/**
 * Bytes are not the canonical encoding of a {@link LedgerEntry}: malformed, an unknown format
 * version or operation, a field out of range, or trailing data.
 */
public final class InvalidEntryException extends LedgerEntryException {

  private static final long serialVersionUID = 1L;

  InvalidEntryException(String message) {
    super(message);
  }
}
