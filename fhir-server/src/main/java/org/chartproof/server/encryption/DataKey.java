package org.chartproof.server.encryption;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One unwrapped AES-256 data key and the only holder of its bytes: it seals and opens with them and
 * never hands them out ({@link #toString} names the key id only). Nonces are 96 random bits drawn
 * for every {@link #seal} (docs/encryption.md, "Nonces").
 */
final class DataKey {

  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final String id;
  private final SecretKeySpec key;

  /**
   * @param raw the 32 key bytes; copied, and wiped by this constructor
   */
  DataKey(String id, byte[] raw) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("a data key needs its key id");
    }
    if (raw == null || raw.length != KEY_BYTES) {
      throw new KeyUnavailableException("data key " + id + " is not a 32-byte AES key");
    }
    this.id = id;
    this.key = new SecretKeySpec(raw, "AES");
    Arrays.fill(raw, (byte) 0);
  }

  /** A fresh random data key; the caller wraps {@link #wrapWith} it before storing it. */
  static DataKey generate(String id, SecureRandom random) {
    byte[] raw = new byte[KEY_BYTES];
    random.nextBytes(raw);
    return new DataKey(id, raw);
  }

  String id() {
    return id;
  }

  /** The key wrapped by the active KEK version, for storing. */
  byte[] wrapWith(KeyEncryptionKeys keks) {
    byte[] raw = key.getEncoded();
    try {
      return keks.wrap(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** {@code nonce || ciphertext || tag} of {@code plaintext} under a fresh random nonce. */
  byte[] seal(byte[] plaintext, byte[] associatedData, SecureRandom random) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Opens {@code nonce || ciphertext || tag}.
   *
   * @throws AEADBadTagException if the ciphertext, nonce or associated data were changed, or it was
   *     sealed under another key
   */
  byte[] open(byte[] sealed, int offset, byte[] associatedData) throws AEADBadTagException {
    if (sealed.length - offset < NONCE_BYTES + TAG_BITS / 8) {
      throw new AEADBadTagException("too short");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, offset, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, offset + NONCE_BYTES, sealed.length - offset - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "DataKey[" + id + "]";
  }
}
