package org.chartproof.ledger.note;

/**
 * An untrusted note or checkpoint was rejected: malformed, not signed by any trusted key, or
 * carrying a bad signature from a trusted key. Checked so that callers must handle rejection.
 */
public final class InvalidNoteException extends Exception {

  private static final long serialVersionUID = 1L;

  InvalidNoteException(String message) {
    super(message);
  }
}
