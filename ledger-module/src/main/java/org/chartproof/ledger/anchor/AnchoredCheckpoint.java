package org.chartproof.ledger.anchor;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A checkpoint as the anchor contract stored it.
 *
 * @param index position in the contract's list, from 0
 * @param treeSize the checkpoint's tree size, at least 1
 * @param root the 32-byte RFC 6962 root hash (copied in and out)
 * @param checkpointHash SHA-256 of the signed checkpoint note, 32 bytes (copied in and out)
 * @param submitter the checksummed address of the account that anchored it
 * @param blockNumber the number of the block that holds it
 * @param timestamp that block's timestamp, seconds since the Unix epoch
 */
public record AnchoredCheckpoint(
    long index,
    long treeSize,
    byte[] root,
    byte[] checkpointHash,
    String submitter,
    long blockNumber,
    long timestamp) {

  static final int HASH_SIZE = 32;

  /**
   * @throws IllegalArgumentException if a hash is not 32 bytes
   */
  public AnchoredCheckpoint {
    Objects.requireNonNull(submitter, "submitter");
    root = checkHash("root", root);
    checkpointHash = checkHash("checkpointHash", checkpointHash);
  }

  static byte[] checkHash(String name, byte[] hash) {
    if (hash.length != HASH_SIZE) {
      throw new IllegalArgumentException(name + " must be 32 bytes, not " + hash.length);
    }
    return hash.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public byte[] checkpointHash() {
    return checkpointHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnchoredCheckpoint a
        && index == a.index
        && treeSize == a.treeSize
        && Arrays.equals(root, a.root)
        && Arrays.equals(checkpointHash, a.checkpointHash)
        && submitter.equals(a.submitter)
        && blockNumber == a.blockNumber
        && timestamp == a.timestamp;
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, treeSize, Arrays.hashCode(root), blockNumber);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "AnchoredCheckpoint[index=%d, treeSize=%d, root=%s, checkpointHash=%s, submitter=%s, block=%d, timestamp=%d]"
        .formatted(
            index,
            treeSize,
            hex.formatHex(root),
            hex.formatHex(checkpointHash),
            submitter,
            blockNumber,
            timestamp);
  }
}
