package org.chartproof.server.audit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.chartproof.server.ledger.LedgerRecords;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ledgers the access log: each run takes the batches (group commits) written since the last one and
 * appends one {@link org.chartproof.ledger.entry.Operation#ACCESS ACCESS} entry for all of them,
 * committing to the tree over their events' commitments in the order it lists them ({@code
 * entry_offset}). Run every checkpoint interval, so the ledger grows by one entry per interval, not
 * per read, and an event waits for its entry about as long as a resource's entry waits for its
 * checkpoint (meanwhile its proof answers {@code pending}).
 *
 * <p>Batches are claimed with {@code FOR UPDATE SKIP LOCKED}, so instances sharing a database each
 * ledger distinct batches; a batch whose writer has not committed yet is left for the next run. A
 * batch written before a crash has no entry yet and is ledgered by the next run after the restart.
 */
final class AccessLedger implements Runnable {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final LedgerRecords ledger;
  private final Clock clock;
  private final int maxBatches;

  /**
   * @param maxBatches the most batches one entry covers
   */
  AccessLedger(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      LedgerRecords ledger,
      Clock clock,
      int maxBatches) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.ledger = ledger;
    this.clock = clock;
    this.maxBatches = maxBatches;
  }

  @Override
  public void run() {
    while (ledgerOnce() == maxBatches) {
      // a backlog (after a restart, or a burst): keep going until it is gone
    }
  }

  /**
   * Ledgers up to {@code maxBatches} unledgered batches in one transaction.
   *
   * @return how many batches it ledgered
   */
  int ledgerOnce() {
    Integer done =
        transactions.execute(
            status -> {
              record Batch(String id, byte[] leaves) {}
              List<Batch> batches =
                  jdbc.query(
                      "SELECT batch_id, leaves FROM cp_access_batch WHERE entry_id IS NULL"
                          + " ORDER BY batch_id LIMIT ? FOR UPDATE SKIP LOCKED",
                      (rs, i) -> new Batch(rs.getString(1), rs.getBytes(2)),
                      maxBatches);
              if (batches.isEmpty()) {
                return 0;
              }
              String entryId = UUID.randomUUID().toString();
              List<byte[]> commitments = new ArrayList<>();
              List<Object[]> placed = new ArrayList<>(batches.size());
              for (Batch batch : batches) {
                placed.add(new Object[] {entryId, commitments.size(), batch.id()});
                commitments.addAll(LedgerRecords.split(batch.leaves()));
              }
              jdbc.batchUpdate(
                  "UPDATE cp_access_batch SET entry_id = ?, entry_offset = ? WHERE batch_id = ?",
                  placed);
              ledger.appendBatch(entryId, clock.millis(), commitments);
              return batches.size();
            });
    return done == null ? 0 : done;
  }
}
