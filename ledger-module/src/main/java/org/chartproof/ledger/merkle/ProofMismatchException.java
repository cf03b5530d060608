package org.chartproof.ledger.merkle;

import java.util.HexFormat;

/**
 * A well-formed proof led to a root other than the expected one: the leaf is not in that tree, the
 * trees are not consistent, or some hash was tampered with.
 */
public final class ProofMismatchException extends ProofVerificationException {

  private static final long serialVersionUID = 1L;

  private final byte[] expectedRoot;
  private final byte[] computedRoot;

  ProofMismatchException(String what, byte[] expectedRoot, byte[] computedRoot) {
    super(
        what
            + ": computed root "
            + HexFormat.of().formatHex(computedRoot)
            + " does not match expected root "
            + HexFormat.of().formatHex(expectedRoot));
    this.expectedRoot = expectedRoot.clone();
    this.computedRoot = computedRoot.clone();
  }

  /** Returns a copy of the root the caller trusted. */
  public byte[] expectedRoot() {
    return expectedRoot.clone();
  }

  /** Returns a copy of the root the proof led to. */
  public byte[] computedRoot() {
    return computedRoot.clone();
  }
}
