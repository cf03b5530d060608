package org.chartproof.server.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Supplier;

/**
 * Values loaded from the database and kept until a write that could change them commits, on any
 * instance ({@link ConsentEpochs}).
 *
 * <p>Validity: a value loaded after the epoch {@code e} was read holds every write up to {@code e}.
 * For a request that read epoch {@code E}: if {@code E <= e} nothing changed; otherwise the epoch
 * stamped on the value's key by the last write that touched it (one primary-key read) tells whether
 * such a write committed after {@code e}; only then is the value loaded again.
 */
final class EpochCache<V> {

  private record Entry<V>(V value, long validAt) {}

  private final ConsentEpochs epochs;
  private final Cache<String, Entry<V>> entries;

  EpochCache(ConsentEpochs epochs, int size) {
    this.epochs = epochs;
    this.entries = Caffeine.newBuilder().maximumSize(size).build();
  }

  /**
   * The value of {@code key} as of {@code epoch}, an epoch the caller read from {@link
   * ConsentEpochs#current()} before calling.
   *
   * @param stamp the key writes stamp when they change this value ({@link ConsentEpochs#bump})
   * @param load loads the value from committed data
   */
  V get(String key, String stamp, long epoch, Supplier<V> load) {
    Entry<V> entry = entries.getIfPresent(key);
    if (entry != null && entry.validAt() >= epoch) {
      return entry.value();
    }
    if (entry != null && epochs.ofPatient(stamp) <= entry.validAt()) {
      entries.put(key, new Entry<>(entry.value(), epoch));
      return entry.value();
    }
    V loaded = load.get();
    entries.put(key, new Entry<>(loaded, epoch));
    return loaded;
  }
}
