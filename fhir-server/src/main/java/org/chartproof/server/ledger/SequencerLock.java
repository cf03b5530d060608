package org.chartproof.server.ledger;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Elects one sequencer per database. Called inside the integration transaction; the lock lasts
 * until that transaction ends.
 */
interface SequencerLock {

  /** Returns whether this instance may integrate now. */
  boolean tryAcquire();

  /**
   * PostgreSQL: a transaction-scoped advisory lock, so that of several server instances sharing the
   * database exactly one integrates at a time and the others skip their turn.
   */
  static SequencerLock postgresAdvisory(JdbcTemplate jdbc) {
    // an arbitrary constant naming "the Chartproof ledger sequencer" among advisory locks
    long key = 0x43504C4544474552L;
    return () ->
        Boolean.TRUE.equals(
            jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, key));
  }

  /**
   * An embedded H2 database belongs to one server process, whose single sequencer thread is the
   * only integrator: no lock is needed.
   */
  static SequencerLock singleProcess() {
    return () -> true;
  }
}
