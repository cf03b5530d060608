package org.chartproof.ledger.merkle;

/**
 * A Merkle proof did not verify. Checked on purpose: a failed proof is an expected outcome when
 * talking to a faulty or malicious log, and the compiler should make every caller decide what to do
 * about it.
 */
public abstract sealed class ProofVerificationException extends Exception
    permits InvalidProofException, ProofMismatchException {

  ProofVerificationException(String message) {
    super(message);
  }
}
