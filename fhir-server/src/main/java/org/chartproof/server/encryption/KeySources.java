package org.chartproof.server.encryption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.chartproof.server.encryption.KeySourceProperties.Keystore;
import org.chartproof.server.storage.SecretKeyFile;

/**
 * Opens the configured KEK source. Every problem stops the server at startup with a message naming
 * the setting to fix; none carries a password or PIN.
 */
final class KeySources {
  static final String KEY_SOURCE = "chartproof.encryption.key-source";
  static final String FILE = "chartproof.encryption.keystore.file";
  static final String PASSWORD = "chartproof.encryption.keystore.password";
  static final String LIBRARY = "chartproof.encryption.pkcs11.library";
  static final String SLOT = "chartproof.encryption.pkcs11.slot";
  static final String SLOT_LIST_INDEX = "chartproof.encryption.pkcs11.slot-list-index";
  static final String PIN = "chartproof.encryption.pkcs11.pin";

  private KeySources() {}

  /**
   * The KEKs of {@code properties}.
   *
   * @param dataDir {@code chartproof.storage.data-dir}, home of the embedded keystore
   * @throws IllegalStateException naming the setting when the source cannot be opened
   */
  static KeyEncryptionKeys open(KeySourceProperties properties, Path dataDir) {
    return switch (properties.keySource()) {
      case PKCS12 -> pkcs12(properties.keystore(), dataDir);
      case PKCS11 -> pkcs11(properties.pkcs11());
    };
  }

  /**
   * An existing PKCS#12 keystore, for tools beside the server (the verify command).
   *
   * @param password its password, or empty to read the {@code .password} file beside it
   */
  static KeyEncryptionKeys existingPkcs12(Path file, String password) {
    return pkcs12(
        new Keystore(file, password == null || password.isEmpty() ? null : password), null);
  }

  /** The embedded keystore's place when none is configured. */
  static Path embeddedFile(Path dataDir) {
    return dataDir.resolve("keys").resolve("kek.p12");
  }

  static Path passwordFile(Path keystore) {
    return keystore.resolveSibling(keystore.getFileName() + ".password");
  }

  private static KeyEncryptionKeys pkcs12(Keystore keystore, Path dataDir) {
    boolean embedded = keystore.file() == null;
    Path file = embedded ? embeddedFile(dataDir) : keystore.file();
    Path passwordFile = passwordFile(file);
    if (!embedded && !Files.exists(file)) {
      throw new IllegalStateException(
          FILE + ": " + file + " does not exist (unset it to use the embedded keystore)");
    }
    if (embedded && !Files.exists(file)) {
      char[] password =
          keystore.password() != null
              ? keystore.password().toCharArray()
              : newPasswordFile(passwordFile);
      return Pkcs12Keks.create(file, password, FILE);
    }
    char[] password;
    if (keystore.password() != null) {
      password = keystore.password().toCharArray();
    } else if (Files.exists(passwordFile)) {
      try {
        password = Files.readString(passwordFile).trim().toCharArray();
      } catch (IOException e) {
        throw new IllegalStateException(
            "Cannot read the keystore password file "
                + passwordFile
                + " (or set "
                + PASSWORD
                + ")");
      }
    } else {
      throw new IllegalStateException(
          PASSWORD + " is not set and there is no password file " + passwordFile + " for " + file);
    }
    return Pkcs12Keks.open(file, password, PASSWORD);
  }

  private static char[] newPasswordFile(Path passwordFile) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try {
      SecretKeyFile.writePrivately(passwordFile, password + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot create the keystore password file "
              + passwordFile
              + ": "
              + e.getClass().getSimpleName());
    }
    return password.toCharArray();
  }

  private static KeyEncryptionKeys pkcs11(KeySourceProperties.Pkcs11 pkcs11) {
    String needs = " is required with " + KEY_SOURCE + "=pkcs11";
    if (pkcs11.library() == null) {
      throw new IllegalStateException(LIBRARY + needs);
    }
    if ((pkcs11.slot() == null) == (pkcs11.slotListIndex() == null)) {
      throw new IllegalStateException(
          "Set exactly one of "
              + SLOT
              + " and "
              + SLOT_LIST_INDEX
              + " with "
              + KEY_SOURCE
              + "=pkcs11");
    }
    if (pkcs11.pin() == null || pkcs11.pin().isEmpty()) {
      throw new IllegalStateException(
          PIN + needs + " (as the environment variable CHARTPROOF_ENCRYPTION_PKCS11_PIN)");
    }
    return Pkcs11Keks.open(
        new Pkcs11Keks.Token(pkcs11.library(), pkcs11.slot(), pkcs11.slotListIndex()),
        pkcs11.pin().toCharArray(),
        PIN);
  }
}
