package org.chartproof.ledger.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies C2SP signed notes against trusted Ed25519 keys.
 *
 * @see <a href="https://c2sp.org/signed-note">C2SP signed-note</a>
 */
public final class SignedNote {

  /**
   * Upper bound on signature lines, bounding the work an attacker can cause. The spec requires
   * accepting at least 16; Go's implementation allows 100.
   */
  public static final int MAX_SIGNATURES = 100;

  private SignedNote() {}

  /**
   * Verifies {@code note} and returns its text. Per the spec: signatures whose key name and key ID
   * match no trusted key are ignored; a signature that matches a trusted key must verify, or the
   * whole note is rejected; at least one trusted signature must verify.
   *
   * @param trustedKeys keys to trust; no two may share both name and key ID
   * @throws InvalidNoteException if the note is malformed, has too many signatures, has a bad
   *     signature from a trusted key, or has no signature from a trusted key
   * @throws IllegalArgumentException if two trusted keys share name and key ID
   */
  public static VerifiedNote open(byte[] note, Collection<VerifierKey> trustedKeys)
      throws InvalidNoteException {
    Map<String, VerifierKey> trusted = index(trustedKeys);
    String all =
        NoteText.decode(note)
            .orElseThrow(() -> new InvalidNoteException("note is not UTF-8 without controls"));
    // The text ends at the last blank line; the text itself may contain blank lines.
    int split = all.lastIndexOf("\n\n");
    if (split < 0 || !all.endsWith("\n") || split + 2 == all.length()) {
      throw new InvalidNoteException("note has no signature block");
    }
    String text = all.substring(0, split + 1);
    byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
    String[] lines = all.substring(split + 2, all.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new InvalidNoteException("note has more than " + MAX_SIGNATURES + " signatures");
    }
    List<VerifierKey> verifiedBy = new ArrayList<>();
    for (String line : lines) {
      Signature signature = parse(line);
      VerifierKey key = trusted.get(signature.name + "+" + signature.keyId);
      if (key == null) {
        continue; // unknown keys, e.g. witnesses or rotated-out keys, must be ignored
      }
      if (!verifies(key, textBytes, signature.bytes)) {
        throw new InvalidNoteException("invalid signature by trusted key " + key.name());
      }
      if (!verifiedBy.contains(key)) {
        verifiedBy.add(key);
      }
    }
    if (verifiedBy.isEmpty()) {
      throw new InvalidNoteException("note has no signature by a trusted key");
    }
    return new VerifiedNote(text, verifiedBy);
  }

  private record Signature(String name, int keyId, byte[] bytes) {}

  private static Signature parse(String line) throws InvalidNoteException {
    if (!line.startsWith(NoteText.SIGNATURE_PREFIX)) {
      throw new InvalidNoteException("malformed signature line");
    }
    String rest = line.substring(NoteText.SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0 || !NoteText.isValidKeyName(rest.substring(0, space))) {
      throw new InvalidNoteException("malformed signature line");
    }
    byte[] blob =
        NoteText.decodeBase64(rest.substring(space + 1))
            .filter(b -> b.length > 4)
            .orElseThrow(() -> new InvalidNoteException("malformed signature"));
    int keyId = ByteBuffer.wrap(blob).getInt();
    return new Signature(rest.substring(0, space), keyId, Arrays.copyOfRange(blob, 4, blob.length));
  }

  private static boolean verifies(VerifierKey key, byte[] text, byte[] signature) {
    Ed25519PublicKeyParameters publicKey;
    try {
      publicKey = new Ed25519PublicKeyParameters(key.publicKey());
    } catch (IllegalArgumentException e) {
      return false; // not a valid curve point: no signature can verify
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, publicKey);
    verifier.update(text, 0, text.length);
    return verifier.verifySignature(signature);
  }

  private static Map<String, VerifierKey> index(Collection<VerifierKey> keys) {
    Map<String, VerifierKey> byNameAndId = new HashMap<>();
    for (VerifierKey key : keys) {
      VerifierKey previous = byNameAndId.put(key.name() + "+" + key.keyId(), key);
      if (previous != null && !previous.equals(key)) {
        throw new IllegalArgumentException("two trusted keys share name and ID: " + key.name());
      }
    }
    return byNameAndId;
  }
}
