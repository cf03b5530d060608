package org.chartproof.ledger.entry;

/**
 * A JSON text is not strict I-JSON and has no RFC 8785 canonical form. The message names the rule
 * broken and where, never the text itself.
 */
public final class InvalidJsonException extends LedgerEntryException {

  private static final long serialVersionUID = 1L;

  private final int offset;

  InvalidJsonException(int offset, String reason) {
    super(offset < 0 ? reason : "at offset " + offset + ": " + reason);
    this.offset = offset;
  }

  /** Returns the UTF-16 offset in the text where the problem was found, or -1 if none applies. */
  public int offset() {
    return offset;
  }
}
