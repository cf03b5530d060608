package org.chartproof.ledger.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds a tree from its leaves, in order, and checks it against roots that were claimed for it
 * (signed checkpoints): an auditor's view of a whole log in one streaming pass, O(log n) memory.
 *
 * @param <T> what a claimed root stands for (a checkpoint), handed back on a mismatch
 */
public final class TreeRebuild<T> {

  /** A root claimed for the first {@code treeSize} leaves. */
  public record ClaimedRoot<T>(long treeSize, byte[] root, T claim) {}

  /** A claimed root the rebuilt tree does not have; {@code actualRoot} is null if never reached. */
  public record Mismatch<T>(ClaimedRoot<T> claimed, long leaves, byte[] actualRoot) {
    /** Whether the log ended before the claimed size. */
    public boolean sizeNeverReached() {
      return actualRoot == null;
    }
  }

  private static final int BATCH = 4096;

  private final List<ClaimedRoot<T>> claims;
  private final Consumer<Mismatch<T>> onMismatch;
  private final List<byte[]> batch = new ArrayList<>(BATCH);
  private CompactRange range = CompactRange.empty();
  private int next;

  /**
   * @param claims roots to check, in any order
   * @param onMismatch called once per claimed root the rebuilt tree does not have, in tree-size
   *     order
   */
  public TreeRebuild(List<ClaimedRoot<T>> claims, Consumer<Mismatch<T>> onMismatch) {
    this.claims = new ArrayList<>(claims);
    this.claims.sort(Comparator.comparingLong(ClaimedRoot::treeSize));
    this.onMismatch = onMismatch;
  }

  /** Leaves added so far. */
  public long size() {
    return range.size() + batch.size();
  }

  /** Appends the next leaf's hash ({@link MerkleHash#leafHash}). */
  public void add(byte[] leafHash) {
    checkClaimsAtSize();
    batch.add(leafHash);
    if (batch.size() == BATCH) {
      flush();
    }
  }

  /** Call after the last leaf: checks claims at the final size and reports those beyond it. */
  public void finish() {
    checkClaimsAtSize();
    for (; next < claims.size(); next++) {
      onMismatch.accept(new Mismatch<>(claims.get(next), size(), null));
    }
  }

  private void checkClaimsAtSize() {
    while (next < claims.size() && claims.get(next).treeSize() <= size()) {
      flush();
      ClaimedRoot<T> claimed = claims.get(next++);
      if (!MessageDigest.isEqual(claimed.root(), range.root())) {
        onMismatch.accept(new Mismatch<>(claimed, size(), range.root()));
      }
    }
  }

  private void flush() {
    if (!batch.isEmpty()) {
      range = range.append(batch).range();
      batch.clear();
    }
  }
}
