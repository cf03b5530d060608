package org.chartproof.ledger.entry;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The secret random salt of one {@link Commitment}: exactly {@value #SIZE} bytes, one fresh salt
 * per resource version. It is stored with the resource version and handed only to those who may
 * read that version, never written to the ledger: without it, guessing low-entropy content and
 * hashing the guesses cannot confirm anything. Destroying it leaves the commitment unopenable.
 *
 * <p>{@link #toString()} never reveals the bytes; {@link #equals} compares in constant time.
 */
public final class Salt {

  /** Length of every salt in bytes. */
  public static final int SIZE = 32;

  private final byte[] bytes;

  private Salt(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns a fresh salt drawn from {@code random}. */
  public static Salt random(SecureRandom random) {
    byte[] bytes = new byte[SIZE];
    random.nextBytes(bytes);
    return new Salt(bytes);
  }

  /**
   * Returns the salt with the given bytes (copied), for example as read back from storage.
   *
   * @throws IllegalArgumentException if {@code bytes} is not exactly {@value #SIZE} bytes long
   */
  public static Salt of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("salt must be " + SIZE + " bytes, got " + bytes.length);
    }
    return new Salt(bytes.clone());
  }

  /** Returns a copy of the salt bytes, to store with the resource version or hand to a reader. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Feeds the salt to {@code digest} without copying it. */
  void updateDigest(MessageDigest digest) {
    digest.update(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Salt other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Salt[redacted]";
  }
}
