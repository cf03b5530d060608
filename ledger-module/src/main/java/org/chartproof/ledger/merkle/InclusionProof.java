package org.chartproof.ledger.merkle;

import java.util.List;

/**
 * Builds RFC 9162 §2.1.3.1 inclusion proofs (RFC 6962 §2.1.1 audit paths) from stored nodes.
 *
 * @see ProofVerifier#verifyInclusion
 */
public final class InclusionProof {

  private InclusionProof() {}

  /**
   * Returns the inclusion proof of leaf {@code leafIndex} in the tree of {@code treeSize} leaves,
   * ordered from the leaf's sibling up to the root's child, as RFC 9162 specifies.
   *
   * <p>Reads at most {@code 2 * ceil(log2(treeSize))} complete nodes, in one {@link NodeReader}
   * call (none for a one-leaf tree). The sibling subtree on the right edge, if incomplete, is
   * recomputed from the complete nodes it consists of.
   *
   * @throws IllegalArgumentException unless {@code 0 <= leafIndex < treeSize}
   * @throws IllegalStateException if {@code reader} breaks its contract
   */
  public static List<byte[]> build(long leafIndex, long treeSize, NodeReader reader) {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "need 0 <= leafIndex < treeSize, got leafIndex=" + leafIndex + ", treeSize=" + treeSize);
    }
    return ProofPlan.inclusion(0, leafIndex, treeSize).resolve(reader);
  }
}
