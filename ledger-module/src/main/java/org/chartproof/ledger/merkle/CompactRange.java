package org.chartproof.ledger.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The right-edge frontier of a tree of {@code size} leaves: the hashes of the complete subtrees
 * whose concatenation is {@code [0, size)}, one per set bit of {@code size}, largest first. That is
 * all a sequencer needs to append leaves and compute the new root without reading the tree.
 *
 * <p>Typical use: {@link #load} the frontier of the integrated size from the store (at most 63 node
 * reads), {@link #append} a batch, persist {@link Appended#newNodes()}, then sign {@code
 * appended.range().root()}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CompactRange {

  private static final CompactRange EMPTY = new CompactRange(0, List.of());

  private final long size;
  private final List<byte[]> frontier;

  private CompactRange(long size, List<byte[]> frontier) {
    this.size = size;
    this.frontier = frontier;
  }

  /** Result of {@link #append}: the grown range and every node that became complete. */
  public record Appended(CompactRange range, List<TreeNode> newNodes) {}

  /** Returns the range of the empty tree. */
  public static CompactRange empty() {
    return EMPTY;
  }

  /**
   * Returns the range of a tree of {@code size} leaves given its frontier hashes, in the order of
   * {@link #frontierIds(long)}.
   *
   * @throws IllegalArgumentException if {@code size} is negative or the frontier has the wrong
   *     number of hashes or a hash of the wrong length
   */
  public static CompactRange of(long size, List<byte[]> frontier) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    if (frontier.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a tree of size "
              + size
              + " has "
              + Long.bitCount(size)
              + " frontier hashes, got "
              + frontier.size());
    }
    List<byte[]> copies = new ArrayList<>(frontier.size());
    for (byte[] hash : frontier) {
      if (hash.length != MerkleHash.HASH_SIZE) {
        throw new IllegalArgumentException("frontier hash must be 32 bytes, got " + hash.length);
      }
      copies.add(hash.clone());
    }
    return new CompactRange(size, List.copyOf(copies));
  }

  /**
   * Returns the ids of the frontier nodes of a tree of {@code size} leaves, largest subtree first.
   * All are complete, so a store that has integrated {@code size} leaves holds them.
   */
  public static List<NodeId> frontierIds(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    return TreeMath.completeSubtrees(0, size);
  }

  /**
   * Reads the frontier of a tree of {@code size} leaves from a store, in one {@link NodeReader}
   * call (none for the empty tree). Because stored nodes never change, this works for any size up
   * to the integrated one, which also gives the root of any earlier tree.
   *
   * @throws IllegalStateException if {@code reader} breaks its contract
   */
  public static CompactRange load(long size, NodeReader reader) {
    List<NodeId> ids = frontierIds(size);
    if (ids.isEmpty()) {
      return EMPTY;
    }
    List<byte[]> hashes = reader.read(ids);
    if (hashes == null || hashes.size() != ids.size()) {
      throw new IllegalStateException("NodeReader returned the wrong number of frontier hashes");
    }
    try {
      return of(size, hashes);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException("NodeReader returned a malformed frontier hash", e);
    }
  }

  /** Returns the number of leaves. */
  public long size() {
    return size;
  }

  /** Returns copies of the frontier hashes, in the order of {@link #frontierIds(long)}. */
  public List<byte[]> frontier() {
    return frontier.stream().map(byte[]::clone).toList();
  }

  /**
   * Returns the root hash {@code MTH(D[size])}: the frontier folded from the right, since RFC 6962
   * always splits off the largest power of two on the left.
   */
  public byte[] root() {
    if (frontier.isEmpty()) {
      return MerkleHash.emptyRoot();
    }
    byte[] root = frontier.get(frontier.size() - 1).clone();
    for (int i = frontier.size() - 2; i >= 0; i--) {
      root = MerkleHash.hashChildren(frontier.get(i), root);
    }
    return root;
  }

  /**
   * Appends leaves, given as leaf hashes ({@link MerkleHash#leafHash}), at indices {@code size,
   * size + 1, ...}.
   *
   * <p>The returned {@code newNodes} are every node that became complete, each exactly once over
   * any sequence of appends: the new leaves at level 0 and the interior nodes above them, in an
   * order where children precede parents. Persisting them keeps the store able to serve every
   * {@link NodeReader} request for the new size.
   *
   * @throws IllegalArgumentException if a leaf hash is not {@link MerkleHash#HASH_SIZE} bytes
   * @throws IllegalStateException if the tree would exceed {@link Long#MAX_VALUE} leaves
   */
  public Appended append(List<byte[]> leafHashes) {
    Objects.requireNonNull(leafHashes, "leafHashes");
    if (leafHashes.size() > Long.MAX_VALUE - size) {
      throw new IllegalStateException("tree size would overflow");
    }
    List<byte[]> stack = new ArrayList<>(frontier);
    List<TreeNode> newNodes = new ArrayList<>(2 * leafHashes.size());
    long n = size;
    for (byte[] leafHash : leafHashes) {
      if (leafHash.length != MerkleHash.HASH_SIZE) {
        throw new IllegalArgumentException("leaf hash must be 32 bytes, got " + leafHash.length);
      }
      byte[] carry = leafHash.clone();
      newNodes.add(new TreeNode(new NodeId(0, n), carry));
      // Each set low bit of n is a complete sibling subtree on the frontier that the new leaf now
      // completes into its parent, exactly like carrying in binary addition.
      for (int level = 0; ((n >>> level) & 1) == 1; level++) {
        carry = MerkleHash.hashChildren(stack.remove(stack.size() - 1), carry);
        newNodes.add(new TreeNode(new NodeId(level + 1, n >>> (level + 1)), carry));
      }
      stack.add(carry);
      n++;
    }
    // TreeNode hashes are handed to the caller, so the frontier keeps its own copies.
    List<byte[]> next = stack.stream().map(byte[]::clone).toList();
    return new Appended(new CompactRange(n, next), List.copyOf(newNodes));
  }
}
