package org.chartproof.server.ledger;

import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Elects one sequencer per database, and keeps it away from an erasure while that runs. Called
 * inside a transaction; the lock lasts until that transaction ends.
 */
interface SequencerLock {

  /** Returns whether this instance may integrate now. */
  boolean tryAcquire();

  /**
   * Waits for the lock: an erasure takes it so that no sequencer copies a salt it is destroying
   * from the pending queue into the ledger (the sequencer reads the queue before it moves it).
   */
  void acquire();

  /**
   * PostgreSQL: a transaction-scoped advisory lock, so that of several server instances sharing the
   * database exactly one integrates at a time and the others skip their turn.
   */
  static SequencerLock postgresAdvisory(JdbcTemplate jdbc) {
    // an arbitrary constant naming "the Chartproof ledger sequencer" among advisory locks
    long key = 0x43504C4544474552L;
    return new SequencerLock() {
      @Override
      public boolean tryAcquire() {
        return Boolean.TRUE.equals(
            jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, key));
      }

      @Override
      public void acquire() {
        jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", key);
      }
    };
  }

  /**
   * An embedded H2 database belongs to one server process, whose single sequencer thread is the
   * only integrator; an in-process lock, held until the transaction ends, keeps erasures apart.
   */
  static SequencerLock singleProcess() {
    ReentrantLock lock = new ReentrantLock();
    return new SequencerLock() {
      @Override
      public boolean tryAcquire() {
        if (!lock.tryLock()) {
          return false;
        }
        releaseAtTransactionEnd();
        return true;
      }

      @Override
      public void acquire() {
        lock.lock();
        releaseAtTransactionEnd();
      }

      private void releaseAtTransactionEnd() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
          lock.unlock(); // no transaction to outlive: nothing to keep apart
          return;
        }
        TransactionSynchronizationManager.registerSynchronization(
            new TransactionSynchronization() {
              @Override
              public void afterCompletion(int status) {
                lock.unlock();
              }
            });
      }
    };
  }
}
