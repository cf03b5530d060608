package org.chartproof.ledger.merkle;

/**
 * The proof or its parameters are malformed, detected before any root is computed: a proof of the
 * wrong length for the tree sizes, a hash of the wrong length, an index outside the tree, {@code
 * size1 > size2}, or a consistency proof from the empty tree.
 */
public final class InvalidProofException extends ProofVerificationException {

  private static final long serialVersionUID = 1L;

  InvalidProofException(String message) {
    super(message);
  }
}
