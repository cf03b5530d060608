package org.chartproof.server.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.chartproof.server.ledger.LedgerRecords;
import org.chartproof.server.ledger.LedgerRecords.Committed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The access log: records AuditEvents durably, with their ledger commitments, before the caller
 * goes on (group commit: a writer thread commits everything queued meanwhile in one transaction, so
 * a commit's cost is shared by every request waiting for it). With the ledger on, each commit is
 * one batch of salted commitments, which {@link AccessLedger} ledgers with the other batches of its
 * checkpoint interval.
 *
 * <p>A caller that cannot be recorded gets an {@link AccessLogException}: the server answers with
 * an error instead of data whose access would go unrecorded.
 */
public final class AccessLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

  /** A batch of events and the future its callers wait on. */
  private record Pending(List<Row> rows, CompletableFuture<Void> done) {}

  /** An AuditEvent as stored, and its commitment (null when the ledger is off). */
  private record Row(
      String id, String patient, Instant recorded, String json, Committed committed) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final LedgerRecords ledger;
  private final Clock clock;
  private final int maxBatch;
  private final Duration timeout;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * @param ledger where events are ledgered, or null when the ledger is off
   * @param writers how many commits may be in progress at once: a request that arrives while every
   *     writer is committing waits for one to finish, then for its own commit
   * @param maxBatch the most events one commit takes
   * @param timeout how long a caller waits for its commit before failing
   */
  AccessLog(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      LedgerRecords ledger,
      Clock clock,
      int writers,
      int maxBatch,
      Duration timeout) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.ledger = ledger;
    this.clock = clock;
    this.maxBatch = maxBatch;
    this.timeout = timeout;
    for (int i = 0; i < writers; i++) {
      Thread writer = new Thread(this::writeLoop, "access-log-writer-" + i);
      writer.setDaemon(true);
      writer.start();
      this.writers.add(writer);
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
        if (first == null) {
          continue;
        }
        batch.add(first);
        int events = first.rows().size();
        while (events < maxBatch) {
          Pending next = queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
          events += next.rows().size();
        }
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

  /** Writes one group commit; with the ledger on, it is one batch. */
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
    transactions.executeWithoutResult(
        status -> {
          jdbc.batchUpdate(
              "INSERT INTO cp_access_audit (event_id, patient_id, recorded_at, event_json,"
                  + " batch_id, batch_index, salt) VALUES (?, ?, ?, ?, ?, ?, ?)",
              rows);
          if (batchId != null) {
            // ledgered with the other batches of this checkpoint interval (AccessLedger)
            jdbc.update(
                "INSERT INTO cp_access_batch (batch_id, leaves) VALUES (?, ?)",
                batchId,
                LedgerRecords.join(committed));
          }
        });
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
