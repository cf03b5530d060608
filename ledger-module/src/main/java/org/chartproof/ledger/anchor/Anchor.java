package org.chartproof.ledger.anchor;

import java.util.Optional;

/**
 * One log's anchors on a chain: an append-only list of checkpoints, strictly increasing in tree
 * size, indexed from 0 in anchoring order.
 *
 * <p>Reads see the chain's latest block; anchors are final once the chain's consensus makes them so
 * (immediately on a QBFT network, after the configured confirmations elsewhere). All methods are
 * safe to call from several threads.
 */
public interface Anchor {

  /**
   * Anchors a checkpoint and returns once its transaction is mined with the configured confirmation
   * depth.
   *
   * @param treeSize the checkpoint's tree size; must exceed the latest anchored size (so at least
   *     1)
   * @param root the checkpoint's 32-byte RFC 6962 root hash
   * @param checkpointHash SHA-256 of the whole signed checkpoint note, 32 bytes
   * @throws AnchorRejectedException if the contract refused it: {@code NotSubmitter} or {@code
   *     TreeSizeNotIncreasing}; retrying the same call will not help
   * @throws ChainUnavailableException if the node could not be reached, or the transaction was not
   *     mined in time, after the configured retries; retry later (re-read {@link #latest()} first:
   *     the transaction may still be mined)
   * @throws AnchorException for anything else the node refused, such as an unfunded account
   * @throws IllegalArgumentException if a hash is not 32 bytes or the tree size is negative
   */
  AnchorReceipt submit(long treeSize, byte[] root, byte[] checkpointHash) throws AnchorException;

  /** Returns the number of anchors. */
  long count() throws AnchorException;

  /** Returns the newest anchor (the one with the largest tree size), or empty if there is none. */
  Optional<AnchoredCheckpoint> latest() throws AnchorException;

  /**
   * Returns the anchor at {@code index}.
   *
   * @throws AnchorRejectedException ({@code IndexOutOfRange}) if {@code index >= count()}
   * @throws IllegalArgumentException if {@code index} is negative
   */
  AnchoredCheckpoint at(long index) throws AnchorException;

  /**
   * Returns the first anchor whose tree size is at least {@code treeSize}: the anchored checkpoint
   * a proof for a tree of that size can be extended to by a consistency proof. Empty if every
   * anchor is smaller. Binary search, so about {@code log2(count())} calls.
   */
  Optional<AnchoredCheckpoint> covering(long treeSize) throws AnchorException;

  /**
   * Returns the 32-byte log id fixed at deployment: SHA-256 of the log's C2SP verifier key text as
   * {@code GET /ledger/key} serves it, without a trailing newline.
   */
  byte[] logId() throws AnchorException;
}
