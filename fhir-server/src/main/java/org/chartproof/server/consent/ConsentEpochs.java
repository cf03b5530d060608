package org.chartproof.server.consent;

import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The consent epoch (consent/schema.sql): a counter every Consent write bumps inside its own
 * database transaction, and per patient the epoch of the last write that touched their Consents.
 * Shared by every server instance on the database, so a Consent change made through one instance is
 * seen by the next request on any other; and the instances that keep the epoch in memory, with the
 * epoch each has seen ({@link EpochLease}).
 */
final class ConsentEpochs {

  private final JdbcTemplate jdbc;

  /**
   * @param jdbc on HAPI's DataSource, so that {@link #bump} joins the transaction of the write
   */
  ConsentEpochs(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** An instance keeping the epoch in memory: the epoch it has seen, and its heartbeat count. */
  record Instance(String id, long seenEpoch, long beat) {}

  /** The newest committed epoch: one primary-key read. */
  long current() {
    Long epoch = jdbc.queryForObject("SELECT epoch FROM cp_consent_epoch WHERE id = 1", Long.class);
    return epoch == null ? 0 : epoch;
  }

  /** The epoch of the last committed Consent write for this patient (an id), or 0 if none. */
  long ofPatient(String patientId) {
    return jdbc
        .queryForList(
            "SELECT epoch FROM cp_consent_patient WHERE patient_id = ?", Long.class, patientId)
        .stream()
        .findFirst()
        .orElse(0L);
  }

  /**
   * Records a Consent write for these patients (ids) in the current transaction. The update of the
   * epoch row locks it until the write commits, so concurrent Consent writes are ordered and epochs
   * grow in commit order; the patient rows are then written by one transaction at a time.
   *
   * @return the new epoch, committed with the transaction
   */
  long bump(Set<String> patientIds) {
    jdbc.update("UPDATE cp_consent_epoch SET epoch = epoch + 1 WHERE id = 1");
    long epoch = current();
    for (String patient : patientIds) {
      if (jdbc.update(
              "UPDATE cp_consent_patient SET epoch = ? WHERE patient_id = ?", epoch, patient)
          == 0) {
        jdbc.update(
            "INSERT INTO cp_consent_patient (patient_id, epoch) VALUES (?, ?)", patient, epoch);
      }
    }
    return epoch;
  }

  /**
   * Announces an instance that will keep the epoch in memory; from this commit on, Consent writes
   * wait for it to see theirs ({@link EpochLease}).
   */
  void register(String instanceId, long seenEpoch) {
    jdbc.update(
        "INSERT INTO cp_consent_instance (instance_id, seen_epoch, beat) VALUES (?, ?, 0)",
        instanceId,
        seenEpoch);
  }

  /**
   * Records that an instance has seen {@code seenEpoch}, and counts a heartbeat.
   *
   * @return false if the instance is not registered (never, or a writer took it for gone)
   */
  boolean heartbeat(String instanceId, long seenEpoch) {
    return jdbc.update(
            "UPDATE cp_consent_instance SET seen_epoch = ?, beat = beat + 1 WHERE instance_id = ?",
            seenEpoch,
            instanceId)
        == 1;
  }

  /** The instances keeping the epoch in memory. */
  List<Instance> instances() {
    return jdbc.query(
        "SELECT instance_id, seen_epoch, beat FROM cp_consent_instance",
        (row, n) -> new Instance(row.getString(1), row.getLong(2), row.getLong(3)));
  }

  /** Forgets an instance, unless it has beaten since {@code beat} was read. */
  void forget(String instanceId, long beat) {
    jdbc.update(
        "DELETE FROM cp_consent_instance WHERE instance_id = ? AND beat = ?", instanceId, beat);
  }

  /** Forgets an instance that stops keeping the epoch in memory. */
  void forget(String instanceId) {
    jdbc.update("DELETE FROM cp_consent_instance WHERE instance_id = ?", instanceId);
  }
}
