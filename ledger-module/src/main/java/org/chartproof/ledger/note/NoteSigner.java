package org.chartproof.ledger.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs note text with an Ed25519 key (C2SP signed-note signature type {@code 0x01}), for example a
 * {@link Checkpoint#toNoteBody()}.
 *
 * <p>Thread-safe. {@link #toString()} never reveals the private key.
 *
 * @see <a href="https://c2sp.org/signed-note#ed25519-signatures">C2SP signed-note, Ed25519</a>
 */
public final class NoteSigner {

  private static final String PRIVATE_KEY_PREFIX = "PRIVATE+KEY+";

  private final Ed25519PrivateKeyParameters privateKey;
  private final VerifierKey verifierKey;

  private NoteSigner(String name, Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.verifierKey = VerifierKey.of(name, privateKey.generatePublicKey().getEncoded());
  }

  /**
   * Returns a signer for key {@code name} with the 32-byte RFC 8032 private key {@code seed}.
   *
   * @throws IllegalArgumentException if the name is invalid or the seed is not 32 bytes
   */
  public static NoteSigner fromSeed(String name, byte[] seed) {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 private key must be 32 bytes");
    }
    return new NoteSigner(name, new Ed25519PrivateKeyParameters(seed));
  }

  /**
   * Parses a signer key in the format of Go's golang.org/x/mod/sumdb/note and its ecosystem: {@code
   * PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte private key)>}.
   *
   * @throws IllegalArgumentException if the key is malformed or its key ID does not match
   */
  public static NoteSigner parsePrivateKey(String skey) {
    String[] parts =
        skey.startsWith(PRIVATE_KEY_PREFIX)
            ? skey.substring(PRIVATE_KEY_PREFIX.length()).split("\\+", 3)
            : new String[0];
    if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException("malformed private key");
    }
    byte[] typeAndKey =
        NoteText.decodeBase64(parts[2])
            .filter(b -> b.length == 33 && b[0] == NoteText.ED25519_SIGNATURE_TYPE)
            .orElseThrow(() -> new IllegalArgumentException("malformed private key"));
    byte[] seed = Arrays.copyOfRange(typeAndKey, 1, typeAndKey.length);
    Arrays.fill(typeAndKey, (byte) 0);
    NoteSigner signer = fromSeed(parts[0], seed);
    Arrays.fill(seed, (byte) 0);
    if (signer.verifierKey.keyId() != HexFormat.fromHexDigits(parts[1])) {
      throw new IllegalArgumentException("private key ID does not match its name and key");
    }
    return signer;
  }

  /** Returns the key that verifies this signer's signatures. */
  public VerifierKey verifierKey() {
    return verifierKey;
  }

  /**
   * Returns the signature line for {@code text}: {@code "— <name> <base64(key ID ||
   * signature)>\n"}.
   *
   * @throws IllegalArgumentException if {@code text} is not valid note text: UTF-8 ending in a
   *     newline, without control characters other than newline
   */
  public String signatureLine(byte[] text) {
    if (NoteText.decode(text).filter(s -> s.endsWith("\n")).isEmpty()) {
      throw new IllegalArgumentException("note text must be UTF-8, end in newline, no controls");
    }
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(text, 0, text.length);
    byte[] signature = signer.generateSignature();
    byte[] blob =
        ByteBuffer.allocate(4 + signature.length)
            .putInt(verifierKey.keyId())
            .put(signature)
            .array();
    return NoteText.SIGNATURE_PREFIX
        + verifierKey.name()
        + " "
        + Base64.getEncoder().encodeToString(blob)
        + "\n";
  }

  /** Returns the signed note: {@code text}, a blank line, then this signer's signature line. */
  public byte[] sign(byte[] text) {
    byte[] signature = ("\n" + signatureLine(text)).getBytes(StandardCharsets.UTF_8);
    byte[] note = Arrays.copyOf(text, text.length + signature.length);
    System.arraycopy(signature, 0, note, text.length, signature.length);
    return note;
  }

  @Override
  public String toString() {
    return "NoteSigner[" + verifierKey.encode() + "]";
  }
}
