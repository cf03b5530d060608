package org.chartproof.ledger.note;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * A trusted Ed25519 note verifier key, in the C2SP vkey text form {@code <name>+<hex key
 * ID>+<base64(0x01 || 32-byte public key)>}.
 *
 * <p>Equality compares the public key by value.
 *
 * @param name key name as it appears in signature lines
 * @param keyId the key ID: first four bytes, big-endian, of {@code SHA-256(name || 0x0A || 0x01 ||
 *     publicKey)}
 * @param publicKey the 32-byte RFC 8032 Ed25519 public key (copied in and out)
 * @see <a href="https://c2sp.org/signed-note#verifier-keys">C2SP signed-note, verifier keys</a>
 */
public record VerifierKey(String name, int keyId, byte[] publicKey) {

  static final int PUBLIC_KEY_SIZE = Ed25519PublicKeyParameters.KEY_SIZE;

  /**
   * @throws IllegalArgumentException if the name is not a valid key name or the public key is not
   *     32 bytes
   */
  public VerifierKey {
    Objects.requireNonNull(name, "name");
    if (!NoteText.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid key name: " + name);
    }
    if (publicKey.length != PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
    }
    publicKey = publicKey.clone();
  }

  /** Returns the key for {@code name} and {@code publicKey} with the recommended key ID. */
  public static VerifierKey of(String name, byte[] publicKey) {
    return new VerifierKey(
        name, NoteText.keyId(name, NoteText.ED25519_SIGNATURE_TYPE, publicKey), publicKey);
  }

  /**
   * Parses a vkey. The key ID must be the recommended one for the name and key, which catches
   * copy-paste mistakes that would otherwise make every signature look unknown.
   *
   * @throws IllegalArgumentException if {@code vkey} is malformed, not of type Ed25519, or its key
   *     ID does not match
   */
  public static VerifierKey parse(String vkey) {
    // Names and hex IDs never contain '+', but base64 may: split off the first two parts only.
    String[] parts = vkey.split("\\+", 3);
    if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException("vkey must be <name>+<8 hex digits>+<base64>");
    }
    byte[] typeAndKey =
        NoteText.decodeBase64(parts[2])
            .orElseThrow(() -> new IllegalArgumentException("vkey key material is not base64"));
    if (typeAndKey.length != 1 + PUBLIC_KEY_SIZE
        || typeAndKey[0] != NoteText.ED25519_SIGNATURE_TYPE) {
      throw new IllegalArgumentException("vkey is not an Ed25519 (type 0x01) key");
    }
    VerifierKey key = of(parts[0], Arrays.copyOfRange(typeAndKey, 1, typeAndKey.length));
    if (key.keyId != HexFormat.fromHexDigits(parts[1])) {
      throw new IllegalArgumentException("vkey key ID does not match its name and key");
    }
    return key;
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Returns the vkey text form, which {@link #parse} accepts. */
  public String encode() {
    byte[] typeAndKey = new byte[1 + PUBLIC_KEY_SIZE];
    typeAndKey[0] = NoteText.ED25519_SIGNATURE_TYPE;
    System.arraycopy(publicKey, 0, typeAndKey, 1, PUBLIC_KEY_SIZE);
    return name
        + "+"
        + HexFormat.of().toHexDigits(keyId)
        + "+"
        + Base64.getEncoder().encodeToString(typeAndKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifierKey other
        && name.equals(other.name)
        && keyId == other.keyId
        && MessageDigest.isEqual(publicKey, other.publicKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, keyId, Arrays.hashCode(publicKey));
  }

  @Override
  public String toString() {
    return encode();
  }
}
