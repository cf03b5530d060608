package org.chartproof.server.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.ArrayList;
import java.util.List;
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
    events.readableJson(version); // 404 as reading the event would
    record Place(String entryId, int offset, int index, byte[] salt) {}
    Optional<Place> place =
        jdbc
            .query(
                "SELECT b.entry_id, b.entry_offset, a.batch_index, a.salt FROM cp_access_audit a"
                    + " JOIN cp_access_batch b ON b.batch_id = a.batch_id WHERE a.event_id = ?",
                (rs, i) -> new Place(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4)),
                version.getIdPart())
            .stream()
            .findFirst();
    if (place.isEmpty()) {
      return Optional.empty(); // recorded while the ledger was off
    }
    Place found = place.get();
    if (found.entryId() == null) {
      return Optional.of(Member.pending(found.salt())); // its entry comes with the next interval
    }
    List<byte[]> commitments = new ArrayList<>();
    jdbc.query(
        "SELECT leaves FROM cp_access_batch WHERE entry_id = ? ORDER BY entry_offset",
        rs -> {
          commitments.addAll(LedgerRecords.split(rs.getBytes(1)));
        },
        found.entryId());
    return Optional.of(
        new Member(found.entryId(), found.offset() + found.index(), found.salt(), commitments));
  }
}
