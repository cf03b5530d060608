package org.chartproof.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape arithmetic shared by the builders and the verifier. Proof lengths are closed-form so the
 * verifier can reject a proof of the wrong shape before hashing anything.
 */
final class TreeMath {

  private TreeMath() {}

  /**
   * Number of hashes in the inclusion path of the complete node {@code (level, index)} in a tree of
   * {@code treeSize} leaves. Below the level where the paths to the node and to the last leaf
   * diverge every level has a sibling ("inner" part); above it only levels where the node is a
   * right child have one ("border" part, RFC 9162 §2.1.3.1).
   */
  static int inclusionPathLength(int level, long index, long treeSize) {
    long last = (treeSize - 1) >>> level;
    int inner = Long.SIZE - Long.numberOfLeadingZeros(index ^ last);
    int border = Long.bitCount(index >>> inner);
    return inner + border;
  }

  /**
   * Number of hashes in the consistency proof from {@code size1} to {@code size2}, for {@code 0 <
   * size1 < size2}. The proof is the inclusion path of the node rooted at the largest complete
   * subtree ending at {@code size1}, preceded by that node unless it is the whole old tree (then
   * the verifier already has it as its old root, RFC 9162 §2.1.4.2 step 2).
   */
  static int consistencyProofLength(long size1, long size2) {
    int level = Long.numberOfTrailingZeros(size1);
    long index = (size1 - 1) >>> level;
    return inclusionPathLength(level, index, size2) + (index == 0 ? 0 : 1);
  }

  /**
   * Complete nodes whose concatenation is the range {@code [begin, end)}, left to right, largest
   * first. Requires {@code begin} to be a multiple of the highest power of two not exceeding {@code
   * end - begin} (true for {@code begin == 0} and for the right part of any RFC 6962 split).
   * Folding their hashes from the right gives {@code MTH(D[begin:end])}, because RFC 6962 splits at
   * the largest power of two, which is exactly the first node here.
   */
  static List<NodeId> completeSubtrees(long begin, long end) {
    List<NodeId> ids = new ArrayList<>(Long.bitCount(end - begin));
    long position = begin;
    for (long remaining = end - begin; remaining != 0; ) {
      long size = Long.highestOneBit(remaining);
      int level = Long.numberOfTrailingZeros(size);
      ids.add(new NodeId(level, position >>> level));
      position += size;
      remaining -= size;
    }
    return ids;
  }
}
