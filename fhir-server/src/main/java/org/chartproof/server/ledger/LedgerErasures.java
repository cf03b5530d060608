package org.chartproof.server.ledger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.chartproof.ledger.entry.ErasureManifest;
import org.chartproof.ledger.entry.InvalidEntryException;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.server.auth.AccessIdentity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger's part of {@code Patient/[id]/$erase} (docs/erasure.md): destroys the salts of every
 * ledgered version of the erased resources and appends the {@link Operation#ERASE} entry that binds
 * their list into the log. Runs inside the caller's transaction, so the erasure and its entry
 * commit together or not at all.
 */
public final class LedgerErasures {

  /** A resource by type and id. */
  public record ResourceKey(String type, String id) {}

  /**
   * What the ledger recorded.
   *
   * @param entry the ERASE entry's bytes (docs/ledger.md)
   * @param leafHash its RFC 6962 leaf hash, lowercase hex: how the erasure record names it
   * @param erasedEntries how many entries with content lost their salt (the manifest's size)
   */
  public record Recorded(byte[] entry, String leafHash, int erasedEntries) {}

  private final JdbcTemplate jdbc;
  private final LedgerStore store;
  private final SequencerLock sequencerLock;
  private final PseudonymKey pseudonyms;
  private final Clock clock;

  LedgerErasures(
      JdbcTemplate jdbc,
      LedgerStore store,
      SequencerLock sequencerLock,
      PseudonymKey pseudonyms,
      Clock clock) {
    this.jdbc = jdbc;
    this.store = store;
    this.sequencerLock = sequencerLock;
    this.pseudonyms = pseudonyms;
    this.clock = clock;
  }

  /**
   * Destroys the salts of every entry (in the tree and pending) of {@code resources} and appends
   * the ERASE entry naming {@code Patient/[patientId]} at {@code version}. Must run inside a
   * transaction; holds the sequencer lock until it ends.
   */
  public Recorded erase(String patientId, long version, List<ResourceKey> resources) {
    sequencerLock.acquire();
    List<byte[]> erased = new ArrayList<>();
    List<Object[]> keys = new ArrayList<>(resources.size());
    for (ResourceKey resource : resources) {
      keys.add(new Object[] {resource.type(), resource.id()});
      for (String table : List.of("cp_ledger_entry", "cp_ledger_pending")) {
        for (byte[] bytes :
            jdbc.queryForList(
                "SELECT entry FROM " + table + " WHERE res_type = ? AND res_id = ?",
                byte[].class,
                resource.type(),
                resource.id())) {
          LedgerEntry entry = parse(bytes);
          if (entry.operation().hasContent()) {
            erased.add(entry.leafHash());
          }
        }
      }
    }
    for (String table : List.of("cp_ledger_entry", "cp_ledger_pending")) {
      jdbc.batchUpdate(
          "UPDATE " + table + " SET salt = NULL WHERE res_type = ? AND res_id = ?", keys);
    }
    ErasureManifest manifest = ErasureManifest.of(erased);
    LedgerEntry entry =
        new LedgerEntry(
            Operation.ERASE,
            LedgerEntry.ERASED_TYPE,
            pseudonyms.resource(LedgerEntry.ERASED_TYPE, patientId),
            version,
            clock.millis(),
            pseudonyms.actor(
                AccessIdentity.current()
                    .map(AccessIdentity::actor)
                    .orElse(LedgerAppender.UNAUTHENTICATED_ACTOR)),
            manifest.digest());
    store.append(entry.toBytes(), LedgerEntry.ERASED_TYPE, patientId, version, null);
    byte[] eraseHash = entry.leafHash();
    List<Object[]> rows = new ArrayList<>(erased.size());
    erased.forEach(hash -> rows.add(new Object[] {eraseHash, hash}));
    jdbc.batchUpdate(
        "INSERT INTO cp_ledger_erasure (erase_leaf_hash, entry_leaf_hash) VALUES (?, ?)", rows);
    return new Recorded(entry.toBytes(), HexFormat.of().formatHex(eraseHash), manifest.size());
  }

  private static LedgerEntry parse(byte[] bytes) {
    try {
      return LedgerEntry.parse(bytes);
    } catch (InvalidEntryException e) {
      // refuse to erase on a ledger that was altered: the verify command names the entry
      throw new IllegalStateException("a stored ledger entry is malformed: " + e.getMessage());
    }
  }
}
