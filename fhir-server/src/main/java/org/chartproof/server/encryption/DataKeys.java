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
 * <p>Every destroyed key bumps the shredding epoch ({@code cp_key_shred_epoch}) in the destroying
 * transaction ({@link #destroy}). This instance reads the epoch at most once per {@code recheck}
 * and drops all its cached keys when it moved, so a key shredded through another server instance
 * stops decrypting here within that interval, at the cost of one one-row read per interval.
 */
final class DataKeys {

  static final String SYSTEM = "system";

  private record Cached(DataKey key) {}

  private final Object epochLock = new Object();
  private volatile long knownEpoch = -1;
  private volatile long epochCheckedAtNanos;

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
   * @param newCompartment the write creates the compartment (a Patient's first version): nobody
   *     else can write into it before this write commits, so its key is made in this write's own
   *     transaction, and rolls back with it; otherwise a missing key is made in a transaction of
   *     its own, so that concurrent writers do not wait on each other
   * @throws DataKeyDestroyedException if the compartment's key was destroyed (the patient was
   *     erased)
   * @throws KeyUnavailableException if the key cannot be unwrapped
   */
  DataKey forCompartment(String compartment, boolean newCompartment) {
    checkEpoch();
    String keyId = keyIdByCompartment.getIfPresent(compartment);
    if (keyId == null) {
      keyId = newCompartment ? null : existingKeyId(compartment);
      if (keyId == null) {
        keyId = create(compartment, newCompartment);
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
    checkEpoch();
    Cached cached = byKeyId.getIfPresent(keyId);
    if (cached != null) {
      return cached.key();
    }
    DataKey key = load(keyId);
    byKeyId.put(keyId, new Cached(key));
    return key;
  }

  /** Drops every cached key when a key was destroyed anywhere since the last look. */
  private void checkEpoch() {
    long now = System.nanoTime();
    if (knownEpoch >= 0 && now - epochCheckedAtNanos < recheckNanos) {
      return;
    }
    synchronized (epochLock) {
      if (knownEpoch >= 0 && now - epochCheckedAtNanos < recheckNanos) {
        return;
      }
      long epoch = currentEpoch();
      if (epoch != knownEpoch) {
        byKeyId.invalidateAll();
        keyIdByCompartment.invalidateAll();
        knownEpoch = epoch;
      }
      epochCheckedAtNanos = now;
    }
  }

  private long currentEpoch() {
    List<Long> rows =
        jdbc.queryForList("SELECT epoch FROM cp_key_shred_epoch WHERE id = 1", Long.class);
    return rows.isEmpty() ? 0 : rows.get(0);
  }

  /**
   * Makes the epoch row if it is missing. Called at startup, outside any transaction (a read may
   * run in a read-only one, which cannot insert it).
   */
  void ensureEpochRow() {
    if (jdbc.queryForList("SELECT epoch FROM cp_key_shred_epoch WHERE id = 1", Long.class)
        .isEmpty()) {
      try {
        jdbc.update("INSERT INTO cp_key_shred_epoch (id, epoch) VALUES (1, 0)");
      } catch (DuplicateKeyException raced) {
        // another instance made it
      }
    }
  }

  /**
   * Destroys the compartment's key in the current transaction: its wrapped bytes are gone for good.
   * A compartment without a key gets a destroyed one, so that no new key is made for it. Evicts the
   * key from this instance's cache now and again after the commit (a read in between may have
   * cached it again from the not yet committed row).
   */
  void destroy(String compartment) {
    Timestamp now = Timestamp.from(clock.instant());
    if (jdbc.update("UPDATE cp_key_shred_epoch SET epoch = epoch + 1 WHERE id = 1") == 0) {
      jdbc.update("INSERT INTO cp_key_shred_epoch (id, epoch) VALUES (1, 1)");
    }
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

  /**
   * Creates the compartment's key, in the current transaction or in its own; returns the key id
   * that won.
   */
  private String create(String compartment, boolean inCurrentTransaction) {
    DataKey key = DataKey.generate(newKeyId(), random);
    byte[] wrapped = key.wrapWith(keks);
    String kekVersion = keks.activeVersion();
    Runnable insert =
        () ->
            jdbc.update(
                "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped,"
                    + " created_at) VALUES (?, ?, ?, ?, ?)",
                compartment,
                key.id(),
                kekVersion,
                wrapped,
                Timestamp.from(clock.instant()));
    try {
      if (inCurrentTransaction) {
        insert.run();
      } else {
        newTransaction.executeWithoutResult(status -> insert.run());
      }
    } catch (DuplicateKeyException raced) {
      if (inCurrentTransaction) {
        throw raced; // the write's transaction cannot continue after a failed statement
      }
      String winner = existingKeyId(compartment);
      if (winner == null) {
        throw raced;
      }
      return winner;
    }
    byKeyId.put(key.id(), new Cached(key));
    return key.id();
  }

  private static String newKeyId() {
    return UUID.randomUUID().toString();
  }

  private static DataKeyDestroyedException destroyed(String keyId) {
    return new DataKeyDestroyedException("data key " + keyId + " was destroyed");
  }
}
