package org.chartproof.server.ledger;

import java.io.ByteArrayOutputStream;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.ledger.entry.Salt;
import org.chartproof.ledger.merkle.MerkleHash;
import org.chartproof.ledger.merkle.MerkleTree;
import org.chartproof.server.ledger.LedgerStore.PendingEntry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ledger entries for records the server keeps outside HAPI's tables: the access log's AuditEvents,
 * ledgered in batches. Each record gets a salted commitment to its served JSON, exactly like a
 * created resource's; a batch (the access log's group commits of one checkpoint interval) gets one
 * {@link Operation#ACCESS} entry whose commitment is the RFC 6962 tree hash over its records'
 * commitments. A record is then proven by its path inside the batch and the entry's path in the log
 * (docs/ledger.md, "Batched records"), while the log grows by one entry per interval, not per
 * record.
 */
public final class LedgerRecords {

  /** The actor a batch entry names: the access log writes it, on behalf of many requesters. */
  static final String BATCH_ACTOR = "chartproof-access-log";

  private final LedgerStore store;
  private final PseudonymKey pseudonyms;

  /**
   * Salts are drawn on the request threads that record accesses: each draws from its own DRBG
   * (seeded from the system's entropy) instead of all queueing for one shared generator's lock.
   */
  private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(LedgerRecords::drbg);

  LedgerRecords(LedgerStore store, PseudonymKey pseudonyms) {
    this.store = store;
    this.pseudonyms = pseudonyms;
  }

  /**
   * Appends to the ledger tables {@code jdbc} reaches (ledger/schema.sql), for tests of writers.
   */
  public static LedgerRecords over(JdbcTemplate jdbc, PseudonymKey pseudonyms) {
    return new LedgerRecords(new LedgerStore(jdbc), pseudonyms);
  }

  /**
   * A record's salt and commitment, made by {@link #commit} on the caller's thread.
   *
   * @param salt opens the commitment; kept with the record
   * @param commitment the record's leaf in its batch (hashed as an RFC 6962 leaf)
   */
  public record Committed(byte[] salt, byte[] commitment) {}

  /**
   * Commits to a record's content.
   *
   * @param canonicalJson the RFC 8785 canonical form of the record's JSON as the server serves it
   */
  public Committed commit(byte[] canonicalJson) {
    Salt salt = Salt.random(random.get());
    return new Committed(salt.bytes(), Commitment.commit(salt, canonicalJson).hash());
  }

  /**
   * Appends one {@link Operation#ACCESS} entry for a batch to the pending queue, in the caller's
   * transaction.
   *
   * @param batchId the batch's id, unique, stored with its records; the entry names it as the id of
   *     an {@link LedgerEntry#ACCESS_TYPE}
   * @param timeMillis when the batch was ledgered
   * @param commitments the batch's record commitments, in their order in the batch (index 0 first)
   */
  public void appendBatch(String batchId, long timeMillis, List<byte[]> commitments) {
    LedgerEntry entry =
        new LedgerEntry(
            Operation.ACCESS,
            LedgerEntry.ACCESS_TYPE,
            pseudonyms.resource(LedgerEntry.ACCESS_TYPE, batchId),
            1,
            timeMillis,
            pseudonyms.actor(BATCH_ACTOR),
            new Commitment(batchRoot(leaves(commitments))));
    store.appendAll(
        List.of(new PendingEntry(0, entry.toBytes(), LedgerEntry.ACCESS_TYPE, batchId, 1, null)));
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no DRBG SecureRandom", e);
    }
  }

  /** The commitments of a batch as stored together: concatenated, 32 bytes each, in order. */
  public static byte[] join(List<Committed> records) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream(records.size() * Commitment.SIZE);
    records.forEach(r -> joined.writeBytes(r.commitment()));
    return joined.toByteArray();
  }

  /**
   * The commitments {@link #join} stored.
   *
   * @throws IllegalArgumentException if {@code joined} is not a whole number of commitments
   */
  public static List<byte[]> split(byte[] joined) {
    if (joined.length % Commitment.SIZE != 0) {
      throw new IllegalArgumentException("not a list of 32-byte commitments");
    }
    List<byte[]> commitments = new ArrayList<>(joined.length / Commitment.SIZE);
    for (int at = 0; at < joined.length; at += Commitment.SIZE) {
      commitments.add(Arrays.copyOfRange(joined, at, at + Commitment.SIZE));
    }
    return commitments;
  }

  /** The RFC 6962 leaf hashes of a batch's record commitments. */
  public static List<byte[]> leaves(List<byte[]> commitments) {
    List<byte[]> leaves = new ArrayList<>(commitments.size());
    for (byte[] commitment : commitments) {
      leaves.add(MerkleHash.leafHash(commitment));
    }
    return leaves;
  }

  /** The tree hash a batch entry commits to. */
  public static byte[] batchRoot(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a batch has at least one record");
    }
    return MerkleTree.rootOf(leaves);
  }
}
