package org.chartproof.ledger.entry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A hiding, binding commitment to the content of one resource version:
 *
 * <pre>
 * commitment = SHA-256("chartproof-commitment-v1\n" || salt || content)
 * </pre>
 *
 * where {@code salt} is the version's 32-byte {@link Salt} and {@code content} the RFC 8785
 * canonical form of the resource JSON as served ({@link JsonCanonicalizer}). The ASCII prefix
 * ({@link #DOMAIN}, 25 bytes ending in a newline) keeps these hashes apart from every other SHA-256
 * the ledger computes, such as RFC 6962 leaf hashes, which start with {@code 0x00}. Prefix and salt
 * have fixed lengths, so the content is simply the rest. By hand:
 *
 * <pre>
 * { printf 'chartproof-commitment-v1\n'; printf '%s' "$SALT_HEX" | xxd -r -p;
 *   cat resource.jcs.json; } | sha256sum
 * </pre>
 *
 * <p>{@link #NONE}, all zero bytes, is the commitment of entries that carry no content (deletions);
 * no content opens it, because no SHA-256 output is known to be all zero. Equality compares the
 * bytes by value; {@link #toString()} gives lowercase hex.
 *
 * @param hash the 32-byte commitment (copied in and out)
 */
public record Commitment(byte[] hash) {

  /** Length of a commitment in bytes (SHA-256). */
  public static final int SIZE = 32;

  /** Domain-separation prefix of the hash input, UTF-8 (ASCII) encoded. */
  public static final String DOMAIN = "chartproof-commitment-v1\n";

  /** The all-zero commitment of entries without content. */
  public static final Commitment NONE = new Commitment(new byte[SIZE]);

  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.US_ASCII);

  /**
   * @throws IllegalArgumentException if {@code hash} is not {@value #SIZE} bytes
   */
  public Commitment {
    if (hash.length != SIZE) {
      throw new IllegalArgumentException("commitment must be 32 bytes, got " + hash.length);
    }
    hash = hash.clone();
  }

  /** Commits to {@code canonicalContent}, which must already be in RFC 8785 canonical form. */
  public static Commitment commit(Salt salt, byte[] canonicalContent) {
    MessageDigest sha256 = sha256();
    sha256.update(DOMAIN_BYTES);
    salt.updateDigest(sha256);
    sha256.update(canonicalContent);
    return new Commitment(sha256.digest());
  }

  /**
   * Commits to the JSON text {@code resourceJson} after canonicalizing it.
   *
   * @throws InvalidJsonException if the text is not strict I-JSON
   */
  public static Commitment commitJson(Salt salt, String resourceJson) throws InvalidJsonException {
    return commit(salt, JsonCanonicalizer.canonicalize(resourceJson));
  }

  /**
   * Checks, in constant time, that {@code salt} and {@code canonicalContent} open this commitment.
   *
   * @throws CommitmentMismatchException if they do not (always for {@link #NONE})
   */
  public void verify(Salt salt, byte[] canonicalContent) throws CommitmentMismatchException {
    Commitment computed = commit(salt, canonicalContent);
    if (!MessageDigest.isEqual(hash, computed.hash)) {
      throw new CommitmentMismatchException(this, computed);
    }
  }

  /** Returns true for the all-zero {@link #NONE}. */
  public boolean isNone() {
    return MessageDigest.isEqual(hash, NONE.hash);
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** Returns the 64-character lowercase hex form, as {@code sha256sum} prints it. */
  public String toHex() {
    return HexFormat.of().formatHex(hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Commitment other && MessageDigest.isEqual(hash, other.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return toHex();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
