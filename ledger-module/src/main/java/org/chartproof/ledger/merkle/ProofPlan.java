package org.chartproof.ledger.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The nodes a proof needs, grouped per proof hash: a group of one is a stored node; a longer group
 * is an incomplete node on the right edge, recomputed from the complete nodes that make it up.
 */
final class ProofPlan {

  private final List<List<NodeId>> groups = new ArrayList<>();

  private ProofPlan() {}

  /**
   * Plan for the inclusion path of complete node {@code (level, index)} in a tree of {@code
   * treeSize}.
   */
  static ProofPlan inclusion(int level, long index, long treeSize) {
    ProofPlan plan = new ProofPlan();
    plan.addPath(level, index, treeSize);
    return plan;
  }

  /**
   * Plan for the consistency proof from {@code size1} to {@code size2}, {@code 0 < size1 < size2}.
   */
  static ProofPlan consistency(long size1, long size2) {
    ProofPlan plan = new ProofPlan();
    // The node ending the old tree whose path to the new root shares all the old tree's left
    // siblings: its subtree is the largest complete one ending exactly at size1.
    int level = Long.numberOfTrailingZeros(size1);
    long index = (size1 - 1) >>> level;
    if (index != 0) {
      plan.groups.add(List.of(new NodeId(level, index)));
    }
    plan.addPath(level, index, size2);
    return plan;
  }

  /** Reads every needed node in one batch and returns the proof hashes, bottom-up. */
  List<byte[]> resolve(NodeReader reader) {
    Objects.requireNonNull(reader, "reader");
    List<NodeId> ids = new ArrayList<>();
    groups.forEach(ids::addAll);
    if (ids.isEmpty()) {
      return List.of();
    }
    List<byte[]> hashes = checked(ids, reader.read(List.copyOf(ids)));
    List<byte[]> proof = new ArrayList<>(groups.size());
    int next = 0;
    for (List<NodeId> group : groups) {
      next += group.size();
      byte[] hash = hashes.get(next - 1);
      for (int i = next - 2; i >= next - group.size(); i--) {
        hash = MerkleHash.hashChildren(hashes.get(i), hash);
      }
      proof.add(hash);
    }
    return List.copyOf(proof);
  }

  private void addPath(int level, long index, long treeSize) {
    long last = (treeSize - 1) >>> level;
    for (; last != 0; level++, index >>>= 1, last >>>= 1) {
      long sibling = index ^ 1;
      if (sibling > last) {
        continue; // the node is the rightmost at its level and has no right sibling yet
      }
      if (sibling < (treeSize >>> level)) {
        groups.add(List.of(new NodeId(level, sibling)));
      } else {
        // Only a right sibling on the right edge can be incomplete, and only once per path.
        groups.add(TreeMath.completeSubtrees(sibling << level, treeSize));
      }
    }
  }

  private static List<byte[]> checked(List<NodeId> ids, List<byte[]> hashes) {
    if (hashes == null || hashes.size() != ids.size()) {
      throw new IllegalStateException(
          "NodeReader returned "
              + (hashes == null ? "null" : hashes.size() + " hashes")
              + " for "
              + ids.size()
              + " nodes");
    }
    List<byte[]> copies = new ArrayList<>(hashes.size());
    for (int i = 0; i < hashes.size(); i++) {
      byte[] hash = hashes.get(i);
      if (hash == null || hash.length != MerkleHash.HASH_SIZE) {
        throw new IllegalStateException("NodeReader returned a malformed hash for " + ids.get(i));
      }
      copies.add(hash.clone()); // a caching reader must not see its entries mutated via the proof
    }
    return copies;
  }
}
