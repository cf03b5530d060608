package org.chartproof.ledger.merkle;

import java.util.List;

/**
 * Source of stored node hashes for the proof builders and {@link CompactRange#load}.
 *
 * <p>Builders ask for every node a proof needs in one call, so a database-backed reader can answer
 * with a single query ({@code WHERE (level, index) IN (...)}). A proof needs at most about {@code 2
 * * log2(treeSize)} nodes.
 *
 * <p>Contract: the builders only request complete nodes (see {@link NodeId}) of a tree the store
 * has fully integrated; the reader returns their hashes in request order, each exactly {@link
 * MerkleHash#HASH_SIZE} bytes. A reader that cannot find a node must throw (an unchecked exception
 * of its choice, which propagates unchanged); returning {@code null}, a placeholder or a list of
 * the wrong length makes the builder throw {@link IllegalStateException}.
 */
@FunctionalInterface
public interface NodeReader {

  /**
   * Returns the hashes of {@code ids}, in the same order.
   *
   * @param ids non-empty, unmodifiable, without duplicates
   */
  List<byte[]> read(List<NodeId> ids);
}
