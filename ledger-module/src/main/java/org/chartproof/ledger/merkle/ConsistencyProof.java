package org.chartproof.ledger.merkle;

import java.util.List;

/**
 * Builds RFC 9162 §2.1.4.1 consistency proofs (RFC 6962 §2.1.2) from stored nodes.
 *
 * @see ProofVerifier#verifyConsistency
 */
public final class ConsistencyProof {

  private ConsistencyProof() {}

  /**
   * Returns the proof that the tree of {@code size2} leaves extends the tree of {@code size1}
   * leaves, in the order RFC 9162 §2.1.4.2 verifies it. Equal sizes give the empty proof.
   *
   * <p>Reads at most {@code 2 * ceil(log2(size2)) + 1} complete nodes, in one {@link NodeReader}
   * call (none when the proof is empty).
   *
   * @throws IllegalArgumentException unless {@code 0 < size1 <= size2}; a proof from the empty tree
   *     is meaningless (every tree extends it) and verifiers reject one
   * @throws IllegalStateException if {@code reader} breaks its contract
   */
  public static List<byte[]> build(long size1, long size2, NodeReader reader) {
    if (size1 <= 0 || size1 > size2) {
      throw new IllegalArgumentException(
          "need 0 < size1 <= size2, got size1=" + size1 + ", size2=" + size2);
    }
    if (size1 == size2) {
      return List.of();
    }
    return ProofPlan.consistency(size1, size2).resolve(reader);
  }
}
