package org.chartproof.server.encryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.chartproof.server.storage.SecretKeyFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default source of key-encryption keys: AES-256 keys in a PKCS#12 keystore under the
 * data directory, created on first start with a loud warning (production supplies its own keystore,
 * or an HSM). Versions are aliases {@code kek-1}, {@code kek-2}, ...; the highest is active. Data
 * keys are wrapped with AES Key Wrap (RFC 3394, the JDK's {@code AESWrap}), which authenticates: a
 * wrong KEK fails to unwrap instead of producing a wrong key.
 *
 * <p>The keystore password comes from configuration, or from a file beside the keystore that is
 * generated (mode 0600) together with it. Key material stays inside this class and the JDK's key
 * objects.
 */
final class EmbeddedKeystoreKeks implements KeyEncryptionKeys {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKeystoreKeks.class);
  private static final String PREFIX = "kek-";

  private final Path file;
  private final char[] password;
  private final KeyStore keystore;
  private volatile Map<Integer, SecretKey> keys;

  private EmbeddedKeystoreKeks(Path file, char[] password, KeyStore keystore) {
    this.file = file;
    this.password = password;
    this.keystore = keystore;
    this.keys = read(keystore, password);
  }

  /**
   * Opens an existing keystore, never creating one (for the auditor's verify command).
   *
   * @throws IllegalStateException if it does not exist or cannot be opened
   */
  static EmbeddedKeystoreKeks openExisting(Path file, String password, Path passwordFile) {
    if (!Files.exists(file)) {
      throw new IllegalStateException("No key-encryption keystore at " + file);
    }
    return openOrCreate(file, password, passwordFile);
  }

  /**
   * Opens the keystore, creating it (and, without a configured password, its password file) on
   * first start.
   *
   * @param configuredPassword the keystore password, or empty to use {@code passwordFile}
   * @throws IllegalStateException if the keystore cannot be created or opened; the message names
   *     the file and the setting, never a key or password
   */
  static EmbeddedKeystoreKeks openOrCreate(
      Path file, String configuredPassword, Path passwordFile) {
    try {
      char[] password = password(file, configuredPassword, passwordFile);
      KeyStore keystore = KeyStore.getInstance("PKCS12");
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          keystore.load(in, password);
        }
      } else {
        keystore.load(null, password);
        keystore.setEntry(
            PREFIX + 1,
            new KeyStore.SecretKeyEntry(newAesKey()),
            new KeyStore.PasswordProtection(password));
        save(file, keystore, password);
        log.warn(
            "Created a new key-encryption keystore at {}. Production deployments must supply their"
                + " own keystore or HSM (chartproof.encryption.keystore-file) and back it up: without"
                + " it no stored resource can be read.",
            file.toAbsolutePath());
      }
      EmbeddedKeystoreKeks keks = new EmbeddedKeystoreKeks(file, password, keystore);
      if (keks.keys.isEmpty()) {
        throw new IllegalStateException("The keystore " + file + " holds no " + PREFIX + "N key");
      }
      return keks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot open the key-encryption keystore "
              + file
              + " (chartproof.encryption.keystore-file, keystore-password): "
              + e.getClass().getSimpleName());
    }
  }

  @Override
  public String activeVersion() {
    return PREFIX + keys.keySet().stream().max(Comparator.naturalOrder()).orElseThrow();
  }

  @Override
  public byte[] wrap(byte[] dataKey) {
    try {
      Cipher cipher = Cipher.getInstance("AESWrap");
      cipher.init(Cipher.WRAP_MODE, keys.get(number(activeVersion())));
      return cipher.wrap(new SecretKeySpec(dataKey, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot wrap a data key: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public byte[] unwrap(String version, byte[] wrapped) {
    SecretKey kek = version == null ? null : keys.get(number(version));
    if (kek == null) {
      throw new KeyUnavailableException("key-encryption key " + version + " is not available");
    }
    try {
      Cipher cipher = Cipher.getInstance("AESWrap");
      cipher.init(Cipher.UNWRAP_MODE, kek);
      return cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded();
    } catch (InvalidKeyException e) {
      throw new KeyUnavailableException(
          "the data key does not unwrap under key-encryption key " + version);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot unwrap a data key: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public synchronized String createVersion() {
    int next = keys.keySet().stream().max(Comparator.naturalOrder()).orElse(0) + 1;
    try {
      keystore.setEntry(
          PREFIX + next,
          new KeyStore.SecretKeyEntry(newAesKey()),
          new KeyStore.PasswordProtection(password));
      save(file, keystore, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot add a key-encryption key to " + file);
    }
    keys = read(keystore, password);
    return PREFIX + next;
  }

  @Override
  public synchronized void retire(String version) {
    if (version.equals(activeVersion())) {
      throw new IllegalStateException(version + " is the active key-encryption key");
    }
    try {
      keystore.deleteEntry(version);
      save(file, keystore, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot retire " + version + " in " + file);
    }
    keys = read(keystore, password);
  }

  @Override
  public List<String> versions() {
    List<String> versions = new ArrayList<>();
    keys.keySet().forEach(n -> versions.add(PREFIX + n));
    return versions;
  }

  @Override
  public String toString() {
    return "EmbeddedKeystoreKeks[" + file + ", versions " + versions() + "]";
  }

  private static int number(String version) {
    if (version == null || !version.startsWith(PREFIX)) {
      return -1;
    }
    try {
      return Integer.parseInt(version.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<Integer, SecretKey> read(KeyStore keystore, char[] password) {
    Map<Integer, SecretKey> keys = new TreeMap<>();
    try {
      Enumeration<String> aliases = keystore.aliases();
      while (aliases.hasMoreElements()) {
        String alias = aliases.nextElement();
        int n = number(alias);
        Key key = keystore.getKey(alias, password);
        if (n > 0 && key instanceof SecretKey secret) {
          keys.put(n, secret);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read the key-encryption keystore");
    }
    return Map.copyOf(keys);
  }

  private static SecretKey newAesKey() throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256, new SecureRandom());
    return generator.generateKey();
  }

  private static char[] password(Path file, String configured, Path passwordFile)
      throws IOException {
    if (configured != null && !configured.isEmpty()) {
      return configured.toCharArray();
    }
    if (!Files.exists(passwordFile)) {
      if (Files.exists(file)) {
        throw new IOException("the keystore exists but its password file does not");
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      SecretKeyFile.writePrivately(passwordFile, Base64.getEncoder().encodeToString(random) + "\n");
    }
    return Files.readString(passwordFile).trim().toCharArray();
  }

  private static void save(Path file, KeyStore keystore, char[] password)
      throws IOException, GeneralSecurityException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".keystore", ".tmp");
    try {
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      try (OutputStream out = Files.newOutputStream(tmp)) {
        keystore.store(out, password);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
