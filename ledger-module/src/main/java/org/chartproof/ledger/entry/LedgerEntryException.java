package org.chartproof.ledger.entry;

/**
 * Untrusted input to the entry layer was rejected: a resource text that is not strict I-JSON, an
 * encoded entry that is not canonical, or content that does not match its commitment. Checked on
 * purpose: each is an expected outcome when the data comes from a faulty or malicious party, and
 * the compiler should make every caller decide what to do about it.
 *
 * <p>Messages never contain resource content, salts or keys.
 */
public abstract sealed class LedgerEntryException extends Exception
    permits InvalidJsonException, InvalidEntryException, CommitmentMismatchException {

  private static final long serialVersionUID = 1L;

  LedgerEntryException(String message) {
    super(message);
  }
}
