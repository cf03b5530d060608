package org.chartproof.server.encryption;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.UnrecoverableKeyException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KEK versions in a PKCS#12 keystore file: AES-256 secret-key entries {@code chartproof-kek-N},
 * each protected with the keystore password. Every change is saved atomically (a temporary file
 * beside it, then a move), so a crash leaves the old or the new file, never half of one.
 */
final class Pkcs12Keks extends KeystoreKeks {
  private static final Logger log = LoggerFactory.getLogger(Pkcs12Keks.class);

  private final Path file;
  private final KeyStore store;
  private final KeyStore.PasswordProtection protection;

  private Pkcs12Keks(Path file, KeyStore store, char[] password) {
    this.file = file;
    this.store = store;
    this.protection = new KeyStore.PasswordProtection(password.clone());
  }

  /**
   * Opens an existing keystore file.
   *
   * @param setting the configuration key of the password, named when it is wrong
   * @throws IllegalStateException if the file is missing or unreadable, or the password is wrong;
   *     the message names the file and the setting, never the password
   */
  static Pkcs12Keks open(Path file, char[] password, String setting) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("The KEK keystore " + file + " does not exist");
    }
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
    } catch (IOException e) {
      throw new IllegalStateException(
          (e.getCause() instanceof UnrecoverableKeyException
              ? "Wrong password for the KEK keystore " + file + " (" + setting + ")"
              : "Cannot read the KEK keystore " + file + ": " + e.getClass().getSimpleName()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot read the KEK keystore " + file + ": " + e.getClass().getSimpleName());
    }
    Pkcs12Keks keks = new Pkcs12Keks(file, store, password);
    try {
      keks.loadVersions();
    } catch (IllegalStateException e) {
      // an entry that does not open with the store's password
      throw new IllegalStateException(
          e.getMessage() + " (is " + setting + " the password of its entries too?)");
    }
    return keks;
  }

  /**
   * Creates a new keystore file with a first version {@code kek-1}, warning that production must
   * supply its own.
   *
   * @throws IllegalStateException if the file exists or cannot be written
   */
  static Pkcs12Keks create(Path file, char[] password, String setting) {
    if (Files.exists(file)) {
      throw new IllegalStateException("The KEK keystore " + file + " exists already");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, password);
      Pkcs12Keks keks = new Pkcs12Keks(file, store, password);
      keks.createVersion();
      log.warn(
          "Created a new KEK keystore at {} with a generated key. THIS IS FOR TRYING CHARTPROOF"
              + " ONLY: production must supply its own keystore ({}) or an HSM"
              + " (chartproof.encryption.key-source=pkcs11), and back it up: without it no record"
              + " can be read.",
          file.toAbsolutePath(),
          setting);
      return keks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot create the KEK keystore " + file + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  protected KeyStore keyStore() {
    return store;
  }

  @Override
  protected Provider provider() {
    // the JVM's default AES/GCM provider (SunJCE); keys from PKCS#12 are plain software keys
    try {
      return javax.crypto.Cipher.getInstance("AES/GCM/NoPadding").getProvider();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM has no AES/GCM", e);
    }
  }

  @Override
  protected KeyStore.ProtectionParameter protection() {
    return protection;
  }

  @Override
  protected SecretKey generateKey() throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    return generator.generateKey();
  }

  @Override
  protected void save() throws GeneralSecurityException {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".kek", ".tmp");
      try {
        if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
          store.store(out, protection.getPassword());
          out.getFD().sync();
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new GeneralSecurityException(
          "cannot save the KEK keystore " + file + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  protected String describe() {
    return file.toString();
  }
}
