package org.chartproof.server.ledger;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.ledger.entry.Salt;
import org.chartproof.server.ledger.LedgerStore.PendingEntry;

/**
 * Ledger entries for resources the server keeps outside HAPI's tables: the access log's
 * AuditEvents. Each record is ledgered like a created resource (operation CREATE, version 1, a
 * commitment to its served JSON), so {@code $ledger-proof} and client-side verification work for it
 * as for any resource, and the verify command checks the stored JSON against its commitment.
 */
public final class LedgerRecords {

  /**
   * A record to ledger.
   *
   * @param type its FHIR resource type
   * @param id its id
   * @param timeMillis when it was recorded
   * @param actor who caused it, pseudonymised like a writer ({@code AccessIdentity.actor()})
   * @param canonicalJson the RFC 8785 canonical form of its JSON as the server serves it
   */
  public record Record(
      String type, String id, long timeMillis, String actor, byte[] canonicalJson) {}

  private final LedgerStore store;
  private final PseudonymKey pseudonyms;
  private final SecureRandom random = new SecureRandom();

  LedgerRecords(LedgerStore store, PseudonymKey pseudonyms) {
    this.store = store;
    this.pseudonyms = pseudonyms;
  }

  /** A record's ledger entry, made by {@link #prepare} and appended by {@link #append}. */
  public static final class Prepared {
    private final PendingEntry entry;

    private Prepared(PendingEntry entry) {
      this.entry = entry;
    }
  }

  /**
   * Makes a record's entry (salt, commitment): done by the caller's thread so that {@link #append}
   * only writes.
   */
  public Prepared prepare(Record record) {
    Salt salt = Salt.random(random);
    Commitment commitment = Commitment.commit(salt, record.canonicalJson());
    LedgerEntry entry =
        new LedgerEntry(
            Operation.CREATE,
            record.type(),
            pseudonyms.resource(record.type(), record.id()),
            1,
            record.timeMillis(),
            pseudonyms.actor(record.actor()),
            commitment);
    return new Prepared(
        new PendingEntry(0, entry.toBytes(), record.type(), record.id(), 1, salt.bytes()));
  }

  /** Appends the entries to the pending queue in the caller's transaction, in one statement. */
  public void append(List<Prepared> entries) {
    List<PendingEntry> pending = new ArrayList<>(entries.size());
    for (Prepared prepared : entries) {
      pending.add(prepared.entry);
    }
    store.appendAll(pending);
  }
}
