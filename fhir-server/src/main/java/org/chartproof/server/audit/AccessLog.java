package org.chartproof.server.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.chartproof.server.ledger.LedgerRecords;
import org.chartproof.server.ledger.LedgerRecords.Committed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The access log: records AuditEvents durably, with their ledger commitments, before the caller
 * goes on (group commit: a writer thread commits everything queued meanwhile in one transaction, so
 * a commit's cost is shared by every request waiting for it). With the ledger on, each commit is
 * one batch of salted commitments, which {@link AccessLedger} ledgers with the other batches of its
 * checkpoint interval.
 *
 * <p>A commit is a whole database transaction, and one per request would cost about as much as the
 * read it records. So a request announces itself when it starts ({@link #begin}) and says when it
 * has submitted all it will before its response ({@link #end}); a commit waits, up to the commit
 * delay, until every request that had begun by the time its first event arrived has submitted, and
 * they all share it. Requests that begin later wait for the next commit instead of holding this one
 * up, so under steady load a commit never waits longer than the requests it covers take.
 *
 * <p>A caller that cannot be recorded gets an {@link AccessLogException}: the server answers with
 * an error instead of data whose access would go unrecorded.
 */
public final class AccessLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

  /** A batch of events and the future its callers wait on. */
  private record Pending(List<Row> rows, CompletableFuture<Void> done) {}

  private static final String INSERT_EVENTS =
      "INSERT INTO cp_access_audit (event_id, patient_id, recorded_at, event_json, batch_id,"
          + " batch_index, salt) VALUES ";
  private static final String ROW_VALUES = "(?, ?, ?, ?, ?, ?, ?)";
  private static final int[] ROW_TYPES = {
    Types.VARCHAR,
    Types.VARCHAR,
    Types.TIMESTAMP,
    Types.VARCHAR,
    Types.VARCHAR,
    Types.INTEGER,
    Types.BINARY
  };
  private static final String INSERT_BATCH =
      "INSERT INTO cp_access_batch (batch_id, leaves) VALUES (?, ?)";

  /** PostgreSQL takes at most 65,535 parameters in one statement; the batch row takes two. */
  private static final int MAX_ROWS_PER_STATEMENT = (65_535 - 2) / ROW_TYPES.length;

  /** Queued by {@link #end} to wake a writer that waits for requests to submit; carries nothing. */
  private static final Pending WAKE = new Pending(List.of(), null);

  /** An AuditEvent as stored, and its commitment (null when the ledger is off). */
  private record Row(
      String id, String patient, Instant recorded, String json, Committed committed) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final LedgerRecords ledger;
  private final Clock clock;
  private final int maxBatch;
  private final Duration timeout;
  private final long commitDelayNanos;
  private final boolean oneStatement;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong tickets = new AtomicLong();
  private final ConcurrentSkipListSet<Long> unsubmitted = new ConcurrentSkipListSet<>();
  private final AtomicInteger waitingWriters = new AtomicInteger();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * @param ledger where events are ledgered, or null when the ledger is off
   * @param settings writers, the most events per commit, the commit timeout and delay ({@link
   *     AuditProperties})
   */
  public AccessLog(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      LedgerRecords ledger,
      Clock clock,
      AuditProperties settings) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.ledger = ledger;
    this.clock = clock;
    this.maxBatch = settings.maxBatch();
    this.timeout = settings.commitTimeout();
    this.commitDelayNanos = settings.commitDelay().toNanos();
    this.oneStatement = isPostgres(jdbc);
    for (int i = 0; i < settings.writers(); i++) {
      Thread writer = new Thread(this::writeLoop, "access-log-writer-" + i);
      writer.setDaemon(true);
      writer.start();
      this.writers.add(writer);
    }
  }

  /**
   * A request that will submit decisions has started: commits that begin before it has {@link #end
   * ended} wait for it (up to the commit delay).
   *
   * @return its ticket, for {@link #end}
   */
  public long begin() {
    long ticket = tickets.incrementAndGet();
    unsubmitted.add(ticket);
    return ticket;
  }

  /**
   * The request of {@code ticket} has submitted everything it will before its response (or failed):
   * commits stop waiting for it. Calling it again does nothing.
   */
  public void end(long ticket) {
    if (unsubmitted.remove(ticket) && waitingWriters.get() > 0) {
      queue.add(WAKE);
    }
  }

  /**
   * Queues the AuditEvents for decisions and returns at once; {@link #await} waits for them. A
   * request submits its decisions as they are made, so that their commit overlaps the rest of its
   * work, and awaits them all before its response is sent.
   *
   * @return the commit to wait for, or null if there was nothing to record
   */
  public CompletableFuture<Void> submit(AccessRequestInfo request, List<AccessDecision> decisions) {
    return queue(request, decisions);
  }

  /**
   * Waits until every one of {@code commits} is committed.
   *
   * @throws AccessLogException if one could not be, or not within the commit timeout
   */
  public void await(List<CompletableFuture<Void>> commits) {
    try {
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccessLogException("interrupted while recording the access", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AccessLogException("the access could not be recorded", e);
    }
  }

  /**
   * Records the AuditEvents for one request's decisions and returns once they are committed.
   *
   * @throws AccessLogException if they could not be recorded in time
   */
  public void record(AccessRequestInfo request, List<AccessDecision> decisions) {
    CompletableFuture<Void> done = queue(request, decisions);
    if (done != null) {
      await(List.of(done));
    }
  }

  /**
   * Records decisions made after the response was sent (a search's later result batches, decided
   * before they are paged to anyone), without waiting.
   */
  public void recordLater(AccessRequestInfo request, List<AccessDecision> decisions) {
    CompletableFuture<Void> done = queue(request, decisions);
    if (done != null) {
      done.exceptionally(
          e -> {
            log.error("Access log: {} late decisions could not be recorded", decisions.size(), e);
            return null;
          });
    }
  }

  private CompletableFuture<Void> queue(AccessRequestInfo request, List<AccessDecision> decisions) {
    if (decisions.isEmpty()) {
      return null;
    }
    if (!running) {
      throw new AccessLogException("the access log is closed");
    }
    Instant now = clock.instant();
    List<Row> rows = new ArrayList<>();
    for (AuditEvents.Event event : AuditEvents.of(request, decisions, now)) {
      String json = event.json().toJson();
      Committed committed =
          ledger == null ? null : ledger.commit(json.getBytes(StandardCharsets.UTF_8));
      rows.add(new Row(event.id(), event.patient(), now, json, committed));
    }
    Pending pending = new Pending(rows, new CompletableFuture<>());
    queue.add(pending);
    return pending.done();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null || first == WAKE) {
          continue;
        }
        batch.add(first);
        gather(batch, first.rows().size());
        write(batch);
        batch.forEach(p -> p.done().complete(null));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException e) {
        // no PHI in the message: counts only; callers fail and answer an error
        log.error("Access log: a commit of {} requests failed", batch.size(), e);
        batch.forEach(p -> p.done().completeExceptionally(e));
      }
      batch.clear();
    }
  }

  /**
   * Adds to {@code batch} what is queued, then waits, up to the commit delay, while a request that
   * had begun by now has not submitted yet, taking what arrives meanwhile.
   */
  private void gather(List<Pending> batch, int events) throws InterruptedException {
    long lastWaitedFor = tickets.get();
    long deadline = System.nanoTime() + commitDelayNanos;
    while (events < maxBatch) {
      Pending next = queue.poll();
      if (next == null) {
        waitingWriters.incrementAndGet();
        try {
          // checked after announcing the wait, so that an end() from now on wakes this writer
          long left = deadline - System.nanoTime();
          if (left <= 0 || unsubmitted.floor(lastWaitedFor) == null) {
            return;
          }
          next = queue.poll(left, TimeUnit.NANOSECONDS);
        } finally {
          waitingWriters.decrementAndGet();
        }
      }
      if (next != null && next != WAKE) {
        batch.add(next);
        events += next.rows().size();
      }
    }
  }

  /**
   * Writes one group commit; with the ledger on, it is one batch. On PostgreSQL it is one statement
   * (one round trip, committed on its own): on a busy machine every round trip is a wait to be
   * scheduled again, and everyone in the group waits for all of them.
   */
  private void write(List<Pending> batch) {
    String batchId = ledger == null ? null : UUID.randomUUID().toString();
    List<Object[]> rows = new ArrayList<>();
    List<Committed> committed = new ArrayList<>();
    for (Pending pending : batch) {
      for (Row row : pending.rows()) {
        rows.add(
            new Object[] {
              row.id(),
              row.patient(),
              Timestamp.from(row.recorded()),
              row.json(),
              batchId,
              batchId == null ? null : committed.size(),
              batchId == null ? null : row.committed().salt()
            });
        if (batchId != null) {
          committed.add(row.committed());
        }
      }
    }
    byte[] leaves = batchId == null ? null : LedgerRecords.join(committed);
    if (oneStatement && rows.size() <= MAX_ROWS_PER_STATEMENT) {
      writeInOneStatement(batchId, leaves, rows);
      return;
    }
    transactions.executeWithoutResult(
        status -> {
          jdbc.batchUpdate(INSERT_EVENTS + ROW_VALUES, rows);
          if (batchId != null) {
            // ledgered with the other batches of this checkpoint interval (AccessLedger)
            jdbc.update(INSERT_BATCH, batchId, leaves);
          }
        });
  }

  /** The batch row and every event row in one PostgreSQL statement (a data-modifying WITH). */
  private void writeInOneStatement(String batchId, byte[] leaves, List<Object[]> rows) {
    StringBuilder sql = new StringBuilder();
    int columns = ROW_TYPES.length;
    int parameters = rows.size() * columns + (batchId == null ? 0 : 2);
    Object[] args = new Object[parameters];
    int[] types = new int[parameters];
    int next = 0;
    if (batchId != null) {
      sql.append("WITH batch AS (").append(INSERT_BATCH).append(") ");
      args[0] = batchId;
      types[0] = Types.VARCHAR;
      args[1] = leaves;
      types[1] = Types.BINARY;
      next = 2;
    }
    sql.append(INSERT_EVENTS);
    for (int i = 0; i < rows.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(ROW_VALUES);
      System.arraycopy(rows.get(i), 0, args, next, columns);
      System.arraycopy(ROW_TYPES, 0, types, next, columns);
      next += columns;
    }
    jdbc.update(sql.toString(), args, types);
  }

  private static boolean isPostgres(JdbcTemplate jdbc) {
    String product =
        jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
    return "PostgreSQL".equals(product);
  }

  /** Stops taking events and writes what is queued. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread writer : writers) {
      writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
  }
}
