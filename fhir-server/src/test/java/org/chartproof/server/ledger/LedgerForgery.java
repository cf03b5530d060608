package org.chartproof.server.ledger;

import ca.uhn.fhir.context.FhirContext;
import java.security.SecureRandom;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Salt;
import org.chartproof.server.ledger.ServedForm.StoredVersion;
import org.springframework.jdbc.core.JdbcTemplate;

/** What an attacker with database access does to make a changed version agree with the ledger. */
final class LedgerForgery {

  private LedgerForgery() {}

  /**
   * Replaces the entry of {@code forged} (a stored version whose content was changed) with one
   * committing to the changed content under a fresh salt, and drops the tree, checkpoints and
   * anchor records, so that the next server start rebuilds the tree and re-signs every checkpoint
   * with the log's real key.
   */
  static void recommitAndDropTree(JdbcTemplate jdbc, StoredVersion forged) throws Exception {
    String where = " WHERE res_type = ? AND res_id = ? AND version = ?";
    LedgerEntry old =
        LedgerEntry.parse(
            jdbc.queryForObject(
                "SELECT entry FROM cp_ledger_entry" + where,
                byte[].class,
                forged.type(),
                forged.id(),
                forged.version()));
    Salt salt = Salt.random(new SecureRandom());
    LedgerEntry rebuilt =
        new LedgerEntry(
            old.operation(),
            old.resourceType(),
            old.resourceId(),
            old.version(),
            old.timeMillis(),
            old.actor(),
            Commitment.commitJson(salt, ServedForm.ofStored(FhirContext.forR4Cached(), forged)));
    jdbc.update(
        "UPDATE cp_ledger_entry SET entry = ?, salt = ?" + where,
        rebuilt.toBytes(),
        salt.bytes(),
        forged.type(),
        forged.id(),
        forged.version());
    jdbc.execute(
        "DELETE FROM cp_checkpoint; DELETE FROM cp_tree_node; DELETE FROM cp_anchor;"
            + " INSERT INTO cp_ledger_pending (entry, res_type, res_id, version, salt)"
            + " SELECT entry, res_type, res_id, version, salt FROM cp_ledger_entry"
            + " ORDER BY leaf_index; DELETE FROM cp_ledger_entry");
  }
}
