package org.chartproof.server.encryption;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Online KEK rotation: a new KEK version becomes active, then every data key in {@code cp_data_key}
 * under another version is unwrapped and wrapped again under it, a batch per transaction, while the
 * server goes on reading and writing (a reader unwraps with the version its row names; both
 * versions exist until the old one is retired).
 *
 * <p>Each row is rewritten with an optimistic update ({@code WHERE kek_version = <the version
 * read>}), so a concurrent rewrap, a key destroyed meanwhile, or a second worker after a restart
 * never overwrites newer data; the progress counter is updated in the same transaction as the rows,
 * so it stays exact. Progress lives in {@code cp_key_rotation} (encryption/rotation.sql): a
 * rotation left RUNNING by a crash resumes on {@link #resume()} (called at startup). Rows rewritten
 * before the crash are under the new version already and are not selected again.
 *
 * <p>One rotation at a time per database: {@link #start()} returns the running one instead of
 * starting another (within one instance; several instances sharing a database should rotate from
 * one of them).
 */
final class KeyRotation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);
  private static final Duration LOG_EVERY = Duration.ofSeconds(10);

  static final String RUNNING = "RUNNING";
  static final String DONE = "DONE";
  static final String FAILED = "FAILED";
  static final String RETIRED = "RETIRED";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final KeyEncryptionKeys keks;
  private final int batchSize;
  private final Clock clock;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "kek-rotation");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean closed;
  private Future<?> running;

  KeyRotation(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      KeyEncryptionKeys keks,
      int batchSize,
      Clock clock) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive");
    }
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.keks = keks;
    this.batchSize = batchSize;
    this.clock = clock;
  }

  /** A rotation is refused (HTTP 409): the message says why and what to do. */
  static final class ConflictException extends RuntimeException {
    ConflictException(String message) {
      super(message);
    }
  }

  private record Rotation(long id, String from, String to, String state) {}

  private record DataKey(String compartment, String version, byte[] wrapped) {}

  /**
   * Starts a rotation in the background: creates a new KEK version (now the active one) and rewraps
   * every data key under it. If a rotation is running, returns its status instead.
   */
  synchronized RotationStatus start() {
    Optional<Rotation> latest = latest();
    if (latest.isPresent() && latest.get().state().equals(RUNNING)) {
      submit(latest.get());
      return status();
    }
    String from = keks.activeVersion();
    String to = keks.createVersion();
    long total = countNotUnder(to);
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.update(
        "INSERT INTO cp_key_rotation (from_version, to_version, state, total, done, started_at,"
            + " updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
        from,
        to,
        RUNNING,
        total,
        now,
        now);
    Rotation rotation = latest().orElseThrow();
    log.info("KEK rotation {} started: {} data keys from {} to {}", rotation.id(), total, from, to);
    submit(rotation);
    return status();
  }

  /** Resumes a rotation that a crash or a shutdown left RUNNING, in the background. */
  synchronized void resume() {
    if (closed) {
      return;
    }
    latest()
        .filter(r -> r.state().equals(RUNNING))
        .ifPresent(
            r -> {
              log.info("Resuming KEK rotation {} ({} to {})", r.id(), r.from(), r.to());
              submit(r);
            });
  }

  /** Where rotation stands now. */
  RotationStatus status() {
    String active = keks.activeVersion();
    long remaining = countNotUnder(active);
    List<RotationStatus> rows =
        jdbc.query(
            "SELECT id, from_version, to_version, state, total, done, started_at, updated_at"
                + " FROM cp_key_rotation ORDER BY id DESC LIMIT 1",
            (rs, n) ->
                new RotationStatus(
                    rs.getString("state"),
                    rs.getLong("id"),
                    rs.getString("from_version"),
                    rs.getString("to_version"),
                    rs.getLong("total"),
                    rs.getLong("done"),
                    remaining,
                    rs.getTimestamp("started_at").toInstant(),
                    rs.getTimestamp("updated_at").toInstant(),
                    active,
                    keks.versions()));
    return rows.isEmpty()
        ? new RotationStatus(
            "NONE", null, null, null, 0, 0, remaining, null, null, active, keks.versions())
        : rows.get(0);
  }

  /**
   * Destroys KEK {@code version} once no data key needs it.
   *
   * @throws ConflictException if it is the active version, a rotation is running, or data keys are
   *     still wrapped under it
   */
  synchronized RotationStatus retire(String version) {
    if (!keks.versions().contains(version)) {
      throw new ConflictException("KEK " + version + " does not exist (or is retired already)");
    }
    if (version.equals(keks.activeVersion())) {
      throw new ConflictException("KEK " + version + " is the active version: rotate first");
    }
    if (latest().filter(r -> r.state().equals(RUNNING)).isPresent()) {
      throw new ConflictException("A rotation is running: retire after it is DONE");
    }
    long using = usersOf(version);
    if (using > 0) {
      throw new ConflictException(
          using + " data keys are still wrapped under KEK " + version + ": rotate first");
    }
    keks.retire(version);
    jdbc.update(
        "UPDATE cp_key_rotation SET state = ?, updated_at = ? WHERE from_version = ? AND state = ?",
        RETIRED,
        Timestamp.from(clock.instant()),
        version,
        DONE);
    log.info("KEK {} retired", version);
    return status();
  }

  /** Waits for the background rotation to end (tests, shutdown). */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    Future<?> current;
    synchronized (this) {
      current = running;
    }
    if (current == null) {
      return true;
    }
    try {
      current.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.CancellationException e) {
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /**
   * Stops the background work where it is, as a shutdown (or a crash) would: the rotation stays
   * RUNNING and the next {@link #resume()} continues it.
   */
  @Override
  public void close() {
    closed = true;
    worker.shutdownNow();
  }

  private synchronized void submit(Rotation rotation) {
    if (closed || (running != null && !running.isDone())) {
      return;
    }
    running = worker.submit(() -> run(rotation));
  }

  private void run(Rotation rotation) {
    try {
      rewrapAll(rotation);
    } catch (RuntimeException e) {
      // stays RUNNING: the next start or restart resumes it
      log.error(
          "KEK rotation {} stopped: {}; it resumes on the next start",
          rotation.id(),
          e.getClass().getSimpleName());
    }
  }

  private void rewrapAll(Rotation rotation) {
    Instant lastLog = clock.instant();
    while (!stopped()) {
      if (!keks.activeVersion().equals(rotation.to())) {
        finish(rotation, FAILED);
        log.error(
            "KEK rotation {} failed: the active version is {}, not {}",
            rotation.id(),
            keks.activeVersion(),
            rotation.to());
        return;
      }
      long rewrapped = 0;
      String after = "";
      while (!stopped()) {
        List<DataKey> batch = nextBatch(rotation.to(), after);
        if (batch.isEmpty()) {
          break;
        }
        after = batch.get(batch.size() - 1).compartment();
        rewrapped += rewrap(rotation, batch);
        if (Duration.between(lastLog, clock.instant()).compareTo(LOG_EVERY) >= 0) {
          lastLog = clock.instant();
          logProgress(rotation);
        }
      }
      if (stopped()) {
        return;
      }
      long left = countNotUnder(rotation.to()) + mislabelled(rotation.to());
      if (left == 0) {
        finish(rotation, DONE);
        logProgress(rotation);
        log.info("KEK rotation {} done: every data key is under {}", rotation.id(), rotation.to());
        return;
      }
      if (rewrapped == 0) {
        finish(rotation, FAILED);
        log.error(
            "KEK rotation {} failed: {} data keys cannot be unwrapped to rewrap them",
            rotation.id(),
            left);
        return;
      }
      // keys written under the old version meanwhile (by an instance that had not seen the new
      // version yet): another pass
    }
  }

  private boolean stopped() {
    return closed || Thread.currentThread().isInterrupted();
  }

  private List<DataKey> nextBatch(String to, String after) {
    return jdbc.query(
        "SELECT compartment, kek_version, wrapped FROM cp_data_key WHERE wrapped IS NOT NULL"
            + " AND (kek_version IS NULL OR kek_version <> ?) AND compartment > ?"
            + " ORDER BY compartment LIMIT ?",
        (rs, n) -> new DataKey(rs.getString(1), rs.getString(2), rs.getBytes(3)),
        to,
        after,
        batchSize);
  }

  /** Rewraps a batch in one transaction; returns how many rows it rewrote. */
  private long rewrap(Rotation rotation, List<DataKey> batch) {
    List<Object[]> updates = new ArrayList<>(batch.size());
    for (DataKey key : batch) {
      byte[] raw;
      try {
        raw = keks.unwrap(key.version(), key.wrapped());
      } catch (KeyUnavailableException e) {
        continue; // counted as left over at the end of the pass; nothing here to log but counts
      }
      try {
        byte[] wrapped = keks.wrap(raw);
        String under = KeystoreKeks.wrappedUnder(wrapped);
        updates.add(
            new Object[] {
              wrapped, under == null ? rotation.to() : under, key.compartment(), key.version()
            });
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    }
    if (updates.isEmpty()) {
      return 0;
    }
    Long rewritten =
        transactions.execute(
            tx -> {
              int[] counts =
                  jdbc.batchUpdate(
                      "UPDATE cp_data_key SET wrapped = ?, kek_version = ? WHERE compartment = ?"
                          + " AND kek_version = ? AND wrapped IS NOT NULL",
                      updates);
              long n = Arrays.stream(counts).filter(c -> c > 0).count();
              jdbc.update(
                  "UPDATE cp_key_rotation SET done = done + ?, updated_at = ? WHERE id = ?",
                  n,
                  Timestamp.from(clock.instant()),
                  rotation.id());
              return n;
            });
    return rewritten == null ? 0 : rewritten;
  }

  private void finish(Rotation rotation, String state) {
    jdbc.update(
        "UPDATE cp_key_rotation SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
        state,
        Timestamp.from(clock.instant()),
        rotation.id(),
        RUNNING);
  }

  private void logProgress(Rotation rotation) {
    RotationStatus status = status();
    log.info(
        "KEK rotation {}: {} of {} data keys rewrapped, {} left",
        rotation.id(),
        status.done(),
        status.total(),
        status.remaining());
  }

  private Optional<Rotation> latest() {
    return jdbc
        .query(
            "SELECT id, from_version, to_version, state FROM cp_key_rotation"
                + " ORDER BY id DESC LIMIT 1",
            (rs, n) ->
                new Rotation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
        .stream()
        .findFirst();
  }

  private long countNotUnder(String version) {
    Long n =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM cp_data_key WHERE wrapped IS NOT NULL"
                + " AND (kek_version IS NULL OR kek_version <> ?)",
            Long.class,
            version);
    return n == null ? 0 : n;
  }

  /**
   * Rows under {@code version} by their column whose wrapped key names another version in its
   * header (written across the creation of a version); each is moved back into the rotation's
   * selection by relabelling it with the version it is really under.
   */
  private long mislabelled(String version) {
    List<DataKey> rows =
        jdbc.query(
            "SELECT compartment, kek_version, wrapped FROM cp_data_key WHERE wrapped IS NOT NULL"
                + " AND kek_version = ?",
            (rs, n) -> new DataKey(rs.getString(1), rs.getString(2), rs.getBytes(3)),
            version);
    long found = 0;
    for (DataKey row : rows) {
      String under = KeystoreKeks.wrappedUnder(row.wrapped());
      if (under != null && !under.equals(version)) {
        found +=
            jdbc.update(
                "UPDATE cp_data_key SET kek_version = ? WHERE compartment = ? AND kek_version = ?"
                    + " AND wrapped = ?",
                under,
                row.compartment(),
                version,
                row.wrapped());
      }
    }
    return found;
  }

  /** Data keys that need {@code version}: by their column, or by their wrapped key's header. */
  private long usersOf(String version) {
    Long labelled =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM cp_data_key WHERE wrapped IS NOT NULL AND kek_version = ?",
            Long.class,
            version);
    long[] byHeader = {0};
    jdbc.query(
        "SELECT wrapped FROM cp_data_key WHERE wrapped IS NOT NULL AND kek_version <> ?",
        rs -> {
          if (version.equals(KeystoreKeks.wrappedUnder(rs.getBytes(1)))) {
            byHeader[0]++;
          }
        },
        version);
    return (labelled == null ? 0 : labelled) + byHeader[0];
  }
}
