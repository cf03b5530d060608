package org.chartproof.server.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;
import org.chartproof.server.ledger.BatchedRecords;
import org.chartproof.server.ledger.LedgerRecords;
import org.hl7.fhir.instance.model.api.IIdType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code AuditEvent/[id]/$ledger-proof}: the event's place in its batch, for whoever may read it.
 */
final class AuditEventBatches implements BatchedRecords {

  private final AuditEventProvider events;
  private final JdbcTemplate jdbc;

  AuditEventBatches(AuditEventProvider events, JdbcTemplate jdbc) {
    this.events = events;
    this.jdbc = jdbc;
  }

  @Override
  public String resourceType() {
    return "AuditEvent";
  }

  @Override
  public Optional<Member> find(IIdType version, RequestDetails request) {
    events.read(version); // 404 or 403 as reading the event would
    return jdbc
        .query(
            "SELECT a.batch_id, a.batch_index, a.salt, b.leaves FROM cp_access_audit a"
                + " JOIN cp_access_batch b ON b.batch_id = a.batch_id WHERE a.event_id = ?",
            (rs, i) ->
                new Member(
                    rs.getString(1),
                    rs.getInt(2),
                    rs.getBytes(3),
                    LedgerRecords.split(rs.getBytes(4))),
            version.getIdPart())
        .stream()
        .findFirst();
  }
}
