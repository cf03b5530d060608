package org.chartproof.ledger.entry;

/**
 * Content and salt do not open a {@link Commitment}: the content, the salt or the commitment was
 * altered, or the content was not canonicalized as the commitment requires. Carries both
 * commitments, which, unlike the salt, are safe to show.
 */
public final class CommitmentMismatchException extends LedgerEntryException {

  private static final long serialVersionUID = 1L;

  private final byte[] expected;
  private final byte[] computed;

  CommitmentMismatchException(Commitment expected, Commitment computed) {
    super(
        "content does not match the commitment: computed "
            + computed.toHex()
            + ", expected "
            + expected.toHex());
    this.expected = expected.hash();
    this.computed = computed.hash();
  }

  /** Returns the commitment the caller trusted. */
  public Commitment expected() {
    return new Commitment(expected);
  }

  /** Returns the commitment of the content and salt presented. */
  public Commitment computed() {
    return new Commitment(computed);
  }
}
