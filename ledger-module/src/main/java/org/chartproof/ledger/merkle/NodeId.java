package org.chartproof.ledger.merkle;

/**
 * Address of a node in the aligned binary tree: the node at {@code (level, index)} covers leaves
 * {@code [index * 2^level, (index + 1) * 2^level)}. Level 0 is the leaf hashes; {@code (1, i)} is
 * the hash of leaves {@code 2i} and {@code 2i + 1}, and so on.
 *
 * <p>This is the key under which stores persist node hashes. Only <em>complete</em> nodes (range
 * entirely below the tree size) are ever stored or requested through {@link NodeReader}; their
 * hashes are immutable once written.
 *
 * @param level height above the leaves, {@code 0 <= level < 64}
 * @param index position within the level, {@code 0 <= index}, small enough that the node's first
 *     leaf index fits in a {@code long}
 */
public record NodeId(int level, long index) {

  public NodeId {
    if (level < 0 || level >= Long.SIZE) {
      throw new IllegalArgumentException("level out of range [0, 64): " + level);
    }
    if (index < 0 || index > (Long.MAX_VALUE >>> level)) {
      throw new IllegalArgumentException("index out of range at level " + level + ": " + index);
    }
  }

  /** Returns the index of the first leaf this node covers. */
  public long firstLeaf() {
    return index << level;
  }
}
