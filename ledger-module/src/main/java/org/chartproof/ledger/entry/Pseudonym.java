package org.chartproof.ledger.entry;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A keyed pseudonym as it appears on the ledger: the 32-byte HMAC-SHA256 that a {@link
 * PseudonymKey} computes from a resource's type and id or from an actor. It links the entries of
 * one resource (or actor) to each other, but without the key reveals nothing about the id.
 *
 * <p>Equality compares the bytes by value; {@link #toString()} gives lowercase hex, as {@code
 * openssl dgst -hmac} prints it.
 *
 * @param value the 32-byte pseudonym (copied in and out)
 */
public record Pseudonym(byte[] value) {

  /** Length of a pseudonym in bytes (HMAC-SHA256, untruncated). */
  public static final int SIZE = 32;

  /**
   * @throws IllegalArgumentException if {@code value} is not {@value #SIZE} bytes
   */
  public Pseudonym {
    if (value.length != SIZE) {
      throw new IllegalArgumentException("pseudonym must be 32 bytes, got " + value.length);
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Returns the 64-character lowercase hex form. */
  public String toHex() {
    return HexFormat.of().formatHex(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pseudonym other && MessageDigest.isEqual(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
