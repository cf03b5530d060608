package org.chartproof.server.encryption;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KEK versions kept as AES-256 secret-key entries of a {@link KeyStore} (aliases {@code
 * chartproof-kek-1}, {@code chartproof-kek-2} ...; the highest is the active version), with the
 * wrapping both key sources share: AES-256-GCM under the KEK, a random 96-bit nonce per wrap, and
 * the version name as associated data (docs/keys.md, ADR 0010).
 *
 * <p>Wrapped format: {@code 0x01 || version number (4, big-endian) || nonce (12) || ciphertext ||
 * tag (16)}; the associated data is {@code chartproof-kek-wrap:kek-N}, so the version in the header
 * is authenticated. A caller stores {@link #activeVersion()} beside the result of a {@link #wrap}
 * made right after it; if a new version became active in between, the wrapped key names a newer
 * version than its row. {@link #unwrap} accepts exactly that case (the row's version older than the
 * header's, both existing), so such a race never makes a key unreadable, and rotation rewraps the
 * row since its version is not the active one. The cipher runs in the keystore's provider: in the
 * JVM for PKCS#12, inside the token for PKCS#11, where the key never leaves it. Subclasses say how
 * a key is generated and how a change is saved.
 *
 * <p>Thread-safe: wraps and unwraps run concurrently; version changes are serialized and publish a
 * new immutable map of versions.
 */
abstract class KeystoreKeks implements KeyEncryptionKeys {
  private static final Logger log = LoggerFactory.getLogger(KeystoreKeks.class);

  static final String ALIAS_PREFIX = "chartproof-kek-";
  static final String VERSION_PREFIX = "kek-";
  static final byte FORMAT_GCM = 1;
  static final int VERSION_BYTES = 4;
  static final int NONCE_BYTES = 12;
  private static final int HEADER = 1 + VERSION_BYTES + NONCE_BYTES;
  static final int TAG_BITS = 128;
  private static final String CIPHER = "AES/GCM/NoPadding";
  private static final int MAX_VERSION = 999_999_999;
  private static final Pattern ALIAS =
      Pattern.compile(Pattern.quote(ALIAS_PREFIX) + "([1-9]\\d{0,8})");
  private static final Pattern VERSION =
      Pattern.compile(Pattern.quote(VERSION_PREFIX) + "([1-9]\\d{0,8})");

  private final SecureRandom random = new SecureRandom();
  private final Object changes = new Object();
  private static final long RELOAD_INTERVAL_NANOS = 1_000_000_000L;
  private volatile NavigableMap<Integer, SecretKey> keys = Collections.emptyNavigableMap();
  private long lastReload = System.nanoTime() - RELOAD_INTERVAL_NANOS - 1; // guarded by changes

  /** The keystore holding the KEK entries, loaded. */
  protected abstract KeyStore keyStore();

  /** The provider the KEKs' ciphers run in. */
  protected abstract Provider provider();

  /** The protection of an entry ({@code null} for a token's keys). */
  protected abstract KeyStore.ProtectionParameter protection();

  /** Generates a new AES-256 key, in the token where there is one. */
  protected abstract SecretKey generateKey() throws GeneralSecurityException;

  /** Saves the keystore after an entry was added or deleted (a token saves by itself). */
  protected abstract void save() throws GeneralSecurityException;

  /**
   * Loads the keystore again to see versions another server instance created (a shared HSM); a file
   * keystore has a single owner and does nothing.
   */
  protected void reloadStore() throws GeneralSecurityException {}

  /** A short description for messages and logs (a path, a token), never a secret. */
  protected abstract String describe();

  /**
   * Reads the KEK versions from the keystore; creates {@code kek-1} when there is none.
   *
   * @throws IllegalStateException if an entry cannot be read
   */
  protected final void loadVersions() {
    synchronized (changes) {
      keys = readKeys();
      if (keys.isEmpty()) {
        String first = createVersion();
        log.warn("The key store {} held no KEK: created {}", describe(), first);
      } else {
        log.info("KEK versions in {}: {} (active {})", describe(), versions(), activeVersion());
      }
    }
  }

  private NavigableMap<Integer, SecretKey> readKeys() {
    NavigableMap<Integer, SecretKey> read = new TreeMap<>();
    try {
      KeyStore store = keyStore();
      for (String alias : Collections.list(store.aliases())) {
        Matcher matcher = ALIAS.matcher(alias);
        if (!matcher.matches() || !store.isKeyEntry(alias)) {
          continue;
        }
        Key key = store.getKey(alias, password());
        if (!(key instanceof SecretKey secret) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
          throw new IllegalStateException(
              "The key store " + describe() + " entry " + alias + " is not an AES secret key");
        }
        read.put(Integer.parseInt(matcher.group(1)), secret);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot read the KEKs in " + describe() + ": " + e.getClass().getSimpleName());
    }
    return Collections.unmodifiableNavigableMap(read);
  }

  private char[] password() {
    return protection() instanceof KeyStore.PasswordProtection p ? p.getPassword() : null;
  }

  @Override
  public String activeVersion() {
    return VERSION_PREFIX + keys.lastKey();
  }

  @Override
  public List<String> versions() {
    return keys.keySet().stream().map(n -> VERSION_PREFIX + n).toList();
  }

  @Override
  public byte[] wrap(byte[] dataKey) {
    Map.Entry<Integer, SecretKey> active = keys.lastEntry();
    String version = VERSION_PREFIX + active.getKey();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(CIPHER, provider());
      cipher.init(Cipher.ENCRYPT_MODE, active.getValue(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(version));
      byte[] sealed = cipher.doFinal(dataKey);
      return ByteBuffer.allocate(HEADER + sealed.length)
          .put(FORMAT_GCM)
          .putInt(active.getKey())
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException(
          "Cannot wrap a data key under KEK " + version + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public byte[] unwrap(String version, byte[] wrapped) {
    Integer claimed = number(version);
    key(version); // the caller's version must exist: a retired version unwraps nothing
    if (wrapped == null || wrapped.length < HEADER + TAG_BITS / 8 || wrapped[0] != FORMAT_GCM) {
      throw new KeyUnavailableException(
          "The wrapped data key is not in a format KEK " + version + " wraps");
    }
    int under = ByteBuffer.wrap(wrapped, 1, VERSION_BYTES).getInt();
    if (under != claimed && (under < claimed || under > MAX_VERSION)) {
      throw new KeyUnavailableException("The wrapped data key is not wrapped under KEK " + version);
    }
    String underVersion = VERSION_PREFIX + under;
    SecretKey kek = key(underVersion);
    try {
      Cipher cipher = Cipher.getInstance(CIPHER, provider());
      cipher.init(
          Cipher.DECRYPT_MODE,
          kek,
          new GCMParameterSpec(TAG_BITS, wrapped, 1 + VERSION_BYTES, NONCE_BYTES));
      cipher.updateAAD(associatedData(underVersion));
      return cipher.doFinal(wrapped, HEADER, wrapped.length - HEADER);
    } catch (AEADBadTagException e) {
      throw new KeyUnavailableException(
          "The wrapped data key does not authenticate under KEK " + version);
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException(
          "Cannot unwrap a data key under KEK " + version + ": " + e.getClass().getSimpleName());
    }
  }

  /**
   * The version a wrapped key is really wrapped under, from its header (not authenticated until it
   * is unwrapped), or null if it is not in this format.
   */
  static String wrappedUnder(byte[] wrapped) {
    if (wrapped == null || wrapped.length < HEADER || wrapped[0] != FORMAT_GCM) {
      return null;
    }
    int under = ByteBuffer.wrap(wrapped, 1, VERSION_BYTES).getInt();
    return under < 1 || under > MAX_VERSION ? null : VERSION_PREFIX + under;
  }

  /** The key of {@code version}, looking in the keystore again once if it is not known here. */
  private SecretKey key(String version) {
    Integer number = number(version);
    SecretKey key = number == null ? null : keys.get(number);
    if (key == null && number != null) {
      synchronized (changes) {
        // a newer version may have been created by another instance: always look; an older one
        // was retired or lost: look at most once a second, so such rows do not make every read a
        // reload
        long now = System.nanoTime();
        boolean newer = keys.isEmpty() || number > keys.lastKey();
        if (newer || now - lastReload > RELOAD_INTERVAL_NANOS) {
          lastReload = now;
          try {
            reloadStore();
            keys = readKeys();
          } catch (GeneralSecurityException | IllegalStateException e) {
            log.warn("Cannot reload the KEKs in {}: {}", describe(), e.getClass().getSimpleName());
          }
        }
        key = keys.get(number);
      }
    }
    if (key == null) {
      throw new KeyUnavailableException("KEK version " + version + " is unknown or retired");
    }
    return key;
  }

  @Override
  public String createVersion() {
    synchronized (changes) {
      int next = keys.isEmpty() ? 1 : keys.lastKey() + 1;
      String alias = ALIAS_PREFIX + next;
      try {
        keyStore().setEntry(alias, new KeyStore.SecretKeyEntry(generateKey()), protection());
        save();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            "Cannot create KEK "
                + VERSION_PREFIX
                + next
                + " in "
                + describe()
                + ": "
                + e.getClass().getSimpleName());
      }
      keys = readKeys();
      if (!keys.containsKey(next)) {
        throw new IllegalStateException(
            "KEK " + VERSION_PREFIX + next + " was not kept by " + describe());
      }
      log.info(
          "Created KEK {} in {}; it is now the active version", VERSION_PREFIX + next, describe());
      return VERSION_PREFIX + next;
    }
  }

  @Override
  public void retire(String version) {
    synchronized (changes) {
      Integer number = number(version);
      if (number == null || !keys.containsKey(number)) {
        return; // already retired (or never existed): retiring is idempotent
      }
      if (number.equals(keys.lastKey())) {
        throw new IllegalStateException("KEK " + version + " is the active version");
      }
      try {
        keyStore().deleteEntry(ALIAS_PREFIX + number);
        save();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            "Cannot retire KEK "
                + version
                + " in "
                + describe()
                + ": "
                + e.getClass().getSimpleName());
      }
      keys = readKeys();
      log.info("Retired KEK {} in {}", version, describe());
    }
  }

  /** The number of a version name {@code kek-N}, or null if it is not one. */
  static Integer number(String version) {
    if (version == null) {
      return null;
    }
    Matcher matcher = VERSION.matcher(version);
    return matcher.matches() ? Integer.valueOf(matcher.group(1)) : null;
  }

  private static byte[] associatedData(String version) {
    return ("chartproof-kek-wrap:" + version).getBytes(StandardCharsets.US_ASCII);
  }
}
