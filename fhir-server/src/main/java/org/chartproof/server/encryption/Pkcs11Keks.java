package org.chartproof.server.encryption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.security.auth.login.LoginException;

/**
 * KEK versions in an HSM over PKCS#11, through the JDK's SunPKCS11 provider: AES-256 secret keys
 * that are token objects labelled {@code chartproof-kek-N}, generated inside the token as sensitive
 * and non-extractable ({@code CKA_SENSITIVE}, {@code CKA_EXTRACTABLE=false}), and used there:
 * wrapping and unwrapping run as {@code CKM_AES_GCM} in the token, so no KEK byte ever reaches the
 * JVM. Tested with SoftHSM2 2.6 (scripts/softhsm-setup.sh).
 */
final class Pkcs11Keks extends KeystoreKeks {

  private final Provider provider;
  private final KeyStore store;
  private final char[] pin;
  private final String description;

  private Pkcs11Keks(Provider provider, KeyStore store, char[] pin, String description) {
    this.provider = provider;
    this.store = store;
    this.pin = pin.clone();
    this.description = description;
  }

  /**
   * Where the token is: its PKCS#11 library, and its slot id or its index in the slot list.
   *
   * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
   * @param slot the slot id, or null
   * @param slotListIndex the index in the library's slot list, or null; exactly one of the two
   */
  record Token(Path library, Long slot, Integer slotListIndex) {
    Token {
      if (library == null) {
        throw new IllegalArgumentException("the PKCS#11 library is required");
      }
      if ((slot == null) == (slotListIndex == null)) {
        throw new IllegalArgumentException("give either the slot or the slot list index");
      }
    }

    /**
     * The SunPKCS11 configuration: the token, and the attributes of generated keys: sensitive,
     * never extractable, private to a logged-in session.
     */
    String sunPkcs11Config() {
      return "--name = chartproof\n"
          + "library = "
          + library
          + "\n"
          + (slot != null ? "slot = " + slot : "slotListIndex = " + slotListIndex)
          + "\n"
          + "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
          + "  CKA_SENSITIVE = true\n"
          + "  CKA_EXTRACTABLE = false\n"
          + "}\n";
    }

    @Override
    public String toString() {
      return "PKCS#11 token "
          + (slot != null ? "in slot " + slot : "at slot list index " + slotListIndex)
          + " of "
          + library;
    }
  }

  /**
   * Logs in to the token and reads its KEK versions; creates {@code kek-1} in it when there is
   * none.
   *
   * @param pinSetting the configuration key of the PIN, named when login fails
   * @throws IllegalStateException if the library is missing, the token cannot be reached, or the
   *     PIN is wrong; the message names the token and the setting, never the PIN
   */
  static Pkcs11Keks open(Token token, char[] pin, String pinSetting) {
    if (!Files.isRegularFile(token.library())) {
      throw new IllegalStateException("The PKCS#11 library " + token.library() + " does not exist");
    }
    Provider provider;
    try {
      provider = Security.getProvider("SunPKCS11").configure(token.sunPkcs11Config());
    } catch (RuntimeException e) {
      // SunPKCS11 reports a missing slot or a library that fails to initialise this way
      throw new IllegalStateException(
          "Cannot open the " + token + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    KeyStore store;
    try {
      store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
    } catch (IOException e) {
      throw new IllegalStateException(
          isLoginFailure(e)
              ? "Cannot log in to the " + token + ": wrong PIN? (" + pinSetting + ")"
              : "Cannot open the " + token + ": " + e.getClass().getSimpleName());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot open the " + token + ": " + e.getClass().getSimpleName());
    }
    Pkcs11Keks keks = new Pkcs11Keks(provider, store, pin, token.toString());
    keks.loadVersions();
    return keks;
  }

  /**
   * Whether opening failed on the PIN: SunPKCS11 wraps a {@link LoginException} or the token's
   * {@code CKR_PIN_INCORRECT}/{@code CKR_PIN_LOCKED} (PKCS11Exception) in the IOException.
   */
  private static boolean isLoginFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LoginException || String.valueOf(t.getMessage()).contains("CKR_PIN")) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected KeyStore keyStore() {
    return store;
  }

  @Override
  protected Provider provider() {
    return provider;
  }

  @Override
  protected KeyStore.ProtectionParameter protection() {
    return null;
  }

  /**
   * A session key generated in the token; {@code setEntry} copies it to a token object with its
   * label (C_CopyObject keeps it sensitive and non-extractable).
   */
  @Override
  protected SecretKey generateKey() throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
    generator.init(256);
    return generator.generateKey();
  }

  @Override
  protected void save() {
    // the token keeps its objects itself
  }

  @Override
  protected void reloadStore() throws GeneralSecurityException {
    try {
      store.load(null, pin);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot reload the token's keys");
    }
  }

  @Override
  protected String describe() {
    return description;
  }
}
