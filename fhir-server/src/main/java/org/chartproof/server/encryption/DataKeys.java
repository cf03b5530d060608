package org.chartproof.server.encryption;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data keys of {@code cp_data_key} (encryption/data-keys.sql): one per patient compartment
 * ({@code Patient/{id}}) and one for everything else ({@code system}), created on first use,
 * wrapped by the {@link KeyEncryptionKeys}, and kept unwrapped in a bounded cache.
 *
 * <p>A cached key is trusted for {@code recheck} at most: then one primary-key read checks that no
 * instance destroyed it meanwhile ({@link #destroy}), so a key shredded through another server
 * instance stops decrypting here within that interval.
 */
final class DataKeys {

  static final String SYSTEM = "system";

  private record Cached(DataKey key, long checkedAtNanos) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate newTransaction;
  private final KeyEncryptionKeys keks;
  private final SecureRandom random;
  private final Clock clock;
  private final long recheckNanos;
  private final Cache<String, Cached> byKeyId;
  private final Cache<String, String> keyIdByCompartment;

  /**
   * @param jdbc on HAPI's DataSource (joins the current transaction)
   * @param newTransaction a {@code REQUIRES_NEW} template: keys are created in their own short
   *     transaction, so concurrent first writes for one patient do not block on each other's write
   */
  DataKeys(
      JdbcTemplate jdbc,
      TransactionTemplate newTransaction,
      KeyEncryptionKeys keks,
      SecureRandom random,
      Clock clock,
      int cacheSize,
      Duration recheck) {
    this.jdbc = jdbc;
    this.newTransaction = newTransaction;
    this.keks = keks;
    this.random = random;
    this.clock = clock;
    this.recheckNanos = recheck.toNanos();
    this.byKeyId = Caffeine.newBuilder().maximumSize(cacheSize).build();
    this.keyIdByCompartment = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /**
   * The key that seals new bodies of {@code compartment}, created if it has none yet.
   *
   * @throws DataKeyDestroyedException if the compartment's key was destroyed (the patient was
   *     erased)
   * @throws KeyUnavailableException if the key cannot be unwrapped
   */
  DataKey forCompartment(String compartment) {
    String keyId = keyIdByCompartment.getIfPresent(compartment);
    if (keyId == null) {
      keyId = existingKeyId(compartment);
      if (keyId == null) {
        keyId = create(compartment);
      }
      keyIdByCompartment.put(compartment, keyId);
    }
    return byId(keyId);
  }

  /**
   * The key {@code keyId}.
   *
   * @throws DataKeyDestroyedException if it was destroyed
   * @throws KeyUnavailableException if it does not exist or cannot be unwrapped
   */
  DataKey byId(String keyId) {
    long now = System.nanoTime();
    Cached cached = byKeyId.getIfPresent(keyId);
    if (cached != null && now - cached.checkedAtNanos() < recheckNanos) {
      return cached.key();
    }
    if (cached != null) {
      if (destroyedAt(keyId) != null) {
        byKeyId.invalidate(keyId);
        throw destroyed(keyId);
      }
      byKeyId.put(keyId, new Cached(cached.key(), now));
      return cached.key();
    }
    DataKey key = load(keyId);
    byKeyId.put(keyId, new Cached(key, now));
    return key;
  }

  /**
   * Destroys the compartment's key in the current transaction: its wrapped bytes are gone for good.
   * A compartment without a key gets a destroyed one, so that no new key is made for it. Evicts the
   * key from this instance's cache now and again after the commit (a read in between may have
   * cached it again from the not yet committed row).
   */
  void destroy(String compartment) {
    Timestamp now = Timestamp.from(clock.instant());
    int updated =
        jdbc.update(
            "UPDATE cp_data_key SET wrapped = NULL, kek_version = NULL, destroyed_at = ?"
                + " WHERE compartment = ? AND destroyed_at IS NULL",
            now,
            compartment);
    if (updated == 0 && existingKeyId(compartment) == null) {
      try {
        jdbc.update(
            "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped, created_at,"
                + " destroyed_at) VALUES (?, ?, NULL, NULL, ?, ?)",
            compartment,
            newKeyId(),
            now,
            now);
      } catch (DuplicateKeyException raced) {
        destroy(compartment); // created meanwhile: destroy that one
        return;
      }
    }
    String keyId = existingKeyId(compartment);
    Runnable evict =
        () -> {
          keyIdByCompartment.invalidate(compartment);
          if (keyId != null) {
            byKeyId.invalidate(keyId);
          }
        };
    evict.run();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
              evict.run();
            }
          });
    }
  }

  private String existingKeyId(String compartment) {
    List<String> ids =
        jdbc.queryForList(
            "SELECT key_id FROM cp_data_key WHERE compartment = ?", String.class, compartment);
    return ids.isEmpty() ? null : ids.get(0);
  }

  private Timestamp destroyedAt(String keyId) {
    List<Timestamp> rows =
        jdbc.queryForList(
            "SELECT destroyed_at FROM cp_data_key WHERE key_id = ?", Timestamp.class, keyId);
    if (rows.isEmpty()) {
      throw new KeyUnavailableException("data key " + keyId + " does not exist");
    }
    return rows.get(0);
  }

  private DataKey load(String keyId) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT kek_version, wrapped, destroyed_at FROM cp_data_key WHERE key_id = ?", keyId);
    if (rows.isEmpty()) {
      throw new KeyUnavailableException("data key " + keyId + " does not exist");
    }
    Map<String, Object> row = rows.get(0);
    if (row.get("destroyed_at") != null || row.get("wrapped") == null) {
      throw destroyed(keyId);
    }
    String kekVersion = (String) row.get("kek_version");
    byte[] raw = keks.unwrap(kekVersion, (byte[]) row.get("wrapped"));
    return new DataKey(keyId, raw);
  }

  /** Creates the compartment's key in its own transaction; returns the key id that won. */
  private String create(String compartment) {
    DataKey key = DataKey.generate(newKeyId(), random);
    byte[] wrapped = key.wrapWith(keks);
    String kekVersion = keks.activeVersion();
    try {
      newTransaction.executeWithoutResult(
          status ->
              jdbc.update(
                  "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped,"
                      + " created_at) VALUES (?, ?, ?, ?, ?)",
                  compartment,
                  key.id(),
                  kekVersion,
                  wrapped,
                  Timestamp.from(clock.instant())));
    } catch (DuplicateKeyException raced) {
      String winner = existingKeyId(compartment);
      if (winner == null) {
        throw raced;
      }
      return winner;
    }
    byKeyId.put(key.id(), new Cached(key, System.nanoTime()));
    return key.id();
  }

  private static String newKeyId() {
    return UUID.randomUUID().toString();
  }

  private static DataKeyDestroyedException destroyed(String keyId) {
    return new DataKeyDestroyedException("data key " + keyId + " was destroyed");
  }
}
