package org.chartproof.ledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The RFC 6962 §2.1 hash functions over SHA-256, with the domain-separation prefixes that keep a
 * leaf from ever being confused with an interior node (second-preimage protection).
 *
 * <p>All methods are thread-safe and return a fresh 32-byte array the caller owns.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6962#section-2.1">RFC 6962 §2.1</a>
 */
public final class MerkleHash {

  /** Length in bytes of every hash in the tree (SHA-256). */
  public static final int HASH_SIZE = 32;

  /** Prefix of the leaf hash input: {@code MTH({d(0)}) = SHA-256(0x00 || d(0))}. */
  public static final byte LEAF_HASH_PREFIX = 0x00;

  /** Prefix of the interior node hash input: {@code SHA-256(0x01 || left || right)}. */
  public static final byte NODE_HASH_PREFIX = 0x01;

  private static final String ALGORITHM = "SHA-256";
  private static final MessageDigest PROTOTYPE = newDigest();
  private static final byte[] EMPTY_ROOT = newDigest().digest();

  private MerkleHash() {}

  /** Returns the leaf hash of a log entry: {@code SHA-256(0x00 || entry)}. */
  public static byte[] leafHash(byte[] entry) {
    MessageDigest digest = digest();
    digest.update(LEAF_HASH_PREFIX);
    digest.update(entry);
    return digest.digest();
  }

  /**
   * Returns the hash of an interior node: {@code SHA-256(0x01 || left || right)}. The arguments are
   * expected to be {@link #HASH_SIZE}-byte hashes; this hot path does not check it, so callers
   * handling untrusted input must (as {@link ProofVerifier} does).
   */
  public static byte[] hashChildren(byte[] left, byte[] right) {
    MessageDigest digest = digest();
    digest.update(NODE_HASH_PREFIX);
    digest.update(left);
    digest.update(right);
    return digest.digest();
  }

  /** Returns the root of the empty tree, {@code MTH({}) = SHA-256("")}. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  // Cloning a primed instance skips the provider lookup of getInstance on every hash, and unlike a
  // ThreadLocal it does not pin one digest per (possibly virtual) thread.
  private static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newDigest();
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide " + ALGORITHM, e);
    }
  }
}
