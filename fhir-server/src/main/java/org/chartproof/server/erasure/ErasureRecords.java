package org.chartproof.server.erasure;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The erasure tables (resources/erasure/schema.sql) through a {@link JdbcTemplate} on the
 * application's DataSource, so that writes join the erasure's transaction.
 */
final class ErasureRecords {

  /** An erased patient. {@code eraseEntry} is null when the ledger is off. */
  record Erasure(
      String patientId,
      long erasedAtMillis,
      String eraseEntry,
      int resources,
      int erasedVersions,
      boolean keyDestroyed) {}

  /** A resource deleted by an erasure, and when. */
  record ErasedResource(String type, String id, long erasedAtMillis) {}

  private final JdbcTemplate jdbc;

  ErasureRecords(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Erasure> find(String patientId) {
    return jdbc
        .query(
            "SELECT patient_id, erased_at, erase_entry, resources, erased_versions, key_destroyed"
                + " FROM cp_erasure WHERE patient_id = ?",
            (rs, i) ->
                new Erasure(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getInt(4),
                    rs.getInt(5),
                    rs.getBoolean(6)),
            patientId)
        .stream()
        .findFirst();
  }

  /** The erasure that deleted {@code type/id}, if one did. One primary-key lookup. */
  Optional<ErasedResource> erased(String type, String id) {
    return jdbc
        .query(
            "SELECT r.res_type, r.res_id, e.erased_at FROM cp_erased_resource r"
                + " JOIN cp_erasure e ON e.patient_id = r.patient_id"
                + " WHERE r.res_type = ? AND r.res_id = ?",
            (rs, i) -> new ErasedResource(rs.getString(1), rs.getString(2), rs.getLong(3)),
            type,
            id)
        .stream()
        .findFirst();
  }

  /** Records an erasure and the resources it deleted; fails if the patient was erased before. */
  void insert(Erasure erasure, List<ErasedResource> resources) {
    jdbc.update(
        "INSERT INTO cp_erasure (patient_id, erased_at, erase_entry, resources, erased_versions,"
            + " key_destroyed) VALUES (?, ?, ?, ?, ?, ?)",
        erasure.patientId(),
        erasure.erasedAtMillis(),
        erasure.eraseEntry(),
        erasure.resources(),
        erasure.erasedVersions(),
        erasure.keyDestroyed());
    jdbc.batchUpdate(
        "INSERT INTO cp_erased_resource (res_type, res_id, patient_id) VALUES (?, ?, ?)",
        resources.stream().map(r -> new Object[] {r.type(), r.id(), erasure.patientId()}).toList());
  }
}
