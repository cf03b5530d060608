package org.chartproof.server.consent;

import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The consent epoch (consent/schema.sql): a counter every Consent write bumps inside its own
 * database transaction, and per patient the epoch of the last write that touched their Consents.
 * Shared by every server instance on the database, so a Consent change made through one instance is
 * seen by the next request on any other.
 */
final class ConsentEpochs {

  private final JdbcTemplate jdbc;

  /**
   * @param jdbc on HAPI's DataSource, so that {@link #bump} joins the transaction of the write
   */
  ConsentEpochs(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

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
   */
  void bump(Set<String> patientIds) {
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
  }
}
