package org.chartproof.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle Tree Hash (MTH) of RFC 6962 §2.1 computed directly from all leaf hashes. Meant for
 * tests, tools and small trees; the ledger itself uses {@link CompactRange}, which needs only the
 * right-edge frontier.
 */
public final class MerkleTree {

  private MerkleTree() {}

  /**
   * Returns {@code MTH(D[n])} for leaves whose hashes ({@link MerkleHash#leafHash}) are given in
   * order: the empty-tree root for no leaves, the leaf hash for one, otherwise the hash of the
   * subtrees split at the largest power of two smaller than {@code n}.
   *
   * @throws IllegalArgumentException if a leaf hash is not {@link MerkleHash#HASH_SIZE} bytes
   */
  public static byte[] rootOf(List<byte[]> leafHashes) {
    for (byte[] leafHash : leafHashes) {
      if (leafHash.length != MerkleHash.HASH_SIZE) {
        throw new IllegalArgumentException("leaf hash must be 32 bytes, got " + leafHash.length);
      }
    }
    return leafHashes.isEmpty() ? MerkleHash.emptyRoot() : mth(leafHashes);
  }

  /**
   * Returns the RFC 6962 inclusion proof of leaf {@code index} in the tree of {@code leafHashes}:
   * the same path {@link InclusionProof#build} gives from a store, for trees held in memory (the
   * records of one access-log batch).
   *
   * @throws IllegalArgumentException if {@code index} is not a leaf of the tree
   */
  public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index) {
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException(
          "leaf " + index + " is not in a tree of " + leafHashes.size());
    }
    return InclusionProof.build(
        index,
        leafHashes.size(),
        ids -> {
          List<byte[]> hashes = new ArrayList<>(ids.size());
          for (NodeId id : ids) {
            int first = Math.toIntExact(id.index() << id.level());
            int end = Math.min(leafHashes.size(), first + (1 << id.level()));
            hashes.add(rootOf(leafHashes.subList(first, end)));
          }
          return hashes;
        });
  }

  private static byte[] mth(List<byte[]> leaves) {
    int n = leaves.size();
    if (n == 1) {
      return leaves.get(0).clone();
    }
    int k = Integer.highestOneBit(n - 1);
    return MerkleHash.hashChildren(mth(leaves.subList(0, k)), mth(leaves.subList(k, n)));
  }
}
