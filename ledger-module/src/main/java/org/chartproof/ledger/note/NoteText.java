package org.chartproof.ledger.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/** Lexical rules of C2SP signed-note shared by signing, verification and checkpoints. */
final class NoteText {

  /** Signature type identifier byte of Ed25519 note signatures. */
  static final byte ED25519_SIGNATURE_TYPE = 0x01;

  /** Prefix of every signature line: em dash (U+2014) and a space. */
  static final String SIGNATURE_PREFIX = "\u2014 ";

  private NoteText() {}

  /**
   * Decodes strict UTF-8 and checks the note-wide rule: no control characters except newline.
   * Returns empty if the bytes break either rule.
   */
  static Optional<String> decode(byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
    return hasForbiddenControl(text) ? Optional.empty() : Optional.of(text);
  }

  static boolean hasForbiddenControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 && c != '\n');
  }

  /** Key names must be non-empty, without Unicode spaces, plus signs or control characters. */
  static boolean isValidKeyName(String name) {
    return !name.isEmpty()
        && name.codePoints()
            .noneMatch(
                c -> c == '+' || c < 0x20 || Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  /**
   * Decodes standard base64 only in its canonical form (padding present, unused bits zero), so that
   * every value has exactly one accepted encoding.
   */
  static Optional<byte[]> decodeBase64(String s) {
    try {
      byte[] bytes = Base64.getDecoder().decode(s);
      return Base64.getEncoder().encodeToString(bytes).equals(s)
          ? Optional.of(bytes)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The recommended key ID: the first four bytes, big-endian, of {@code SHA-256(key name || 0x0A ||
   * signature type || public key)}.
   */
  static int keyId(String name, byte type, byte[] publicKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(name.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) '\n');
      sha256.update(type);
      sha256.update(publicKey);
      return ByteBuffer.wrap(sha256.digest()).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
