package org.chartproof.server.ledger;

import ca.uhn.fhir.context.FhirContext;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.chartproof.ledger.anchor.AnchoredCheckpoint;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.ErasureManifest;
import org.chartproof.ledger.entry.InvalidEntryException;
import org.chartproof.ledger.entry.InvalidJsonException;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.entry.Pseudonym;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.ledger.entry.Salt;
import org.chartproof.ledger.merkle.MerkleHash;
import org.chartproof.ledger.merkle.TreeRebuild;
import org.chartproof.ledger.merkle.TreeRebuild.ClaimedRoot;
import org.chartproof.ledger.merkle.TreeRebuild.Mismatch;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.Checkpoint;
import org.chartproof.ledger.note.InvalidNoteException;
import org.chartproof.ledger.note.SignedNote;
import org.chartproof.ledger.note.VerifierKey;
import org.chartproof.server.encryption.BodyUnreadableException;
import org.chartproof.server.encryption.KeyUnavailableException;
import org.chartproof.server.encryption.StoredBodyReader;
import org.chartproof.server.ledger.AuditReport.Kind;
import org.chartproof.server.ledger.ServedForm.StoredVersion;

/**
 * Checks a whole database against its ledger, reading one consistent snapshot over JDBC (the server
 * may keep running on PostgreSQL). Three passes, each streamed:
 *
 * <ol>
 *   <li>checkpoints: every signature, the hash chain from height 0, and the auditor's own kept
 *       checkpoint;
 *   <li>entries, in leaf order: the Merkle tree rebuilt from the entry bytes must give every
 *       checkpoint's root; each entry must describe the row it is stored in;
 *   <li>resource versions: each stored version's served form must match its entry's commitment,
 *       except versions erased on request: listed in the manifest of an ERASE entry logged after
 *       them whose commitment line is that manifest's digest, with their salt gone and their
 *       resource deleted; these are counted as erased (docs/erasure.md).
 * </ol>
 *
 * Every problem becomes a {@link AuditReport.Finding} naming the version, leaf or checkpoint.
 */
final class LedgerAudit {

  /** Receives progress: the pass, how far it is, and its total (an estimate while it runs). */
  interface Progress {
    void update(String pass, long done, long total);
  }

  private final Connection db;
  private final VerifierKey key;
  private final PseudonymKey pseudonyms;
  private final FhirContext fhirContext;
  private final byte[] trustedNote;
  private final Progress progress;
  private final List<AnchoredCheckpoint> anchors;
  private final boolean chainGiven;
  private final StoredBodyReader bodies;
  private final AuditReport report = new AuditReport();

  /** A checkpoint whose signature verified. */
  private record Signed(String origin, long treeSize, byte[] root, byte[] note, ChainLink link) {
    long height() {
      return link.height();
    }
  }

  /**
   * A version's newest entry; {@code position} orders all entries, pending ones after the tree's.
   */
  private record Ledgered(
      Long leafIndex, long position, LedgerEntry entry, byte[] salt, String subject) {}

  /** An ERASE entry and where it sits in the log. */
  private record Erasure(long position, LedgerEntry entry, String subject) {}

  private final List<Erasure> erasures = new ArrayList<>();

  /**
   * Leaf hashes (hex) of entries listed in an erasure manifest that matches its ERASE entry, with
   * the latest such entry's position: only entries logged before it are excused.
   */
  private final Map<String, Long> excused = new HashMap<>();

  private long pendingPosition = Long.MAX_VALUE / 2;

  private record VersionKey(String type, Pseudonym id, long version) {}

  /**
   * @param trustedNote a signed checkpoint the auditor kept from an earlier run, or {@code null}
   * @param anchors the log's anchors as read from the chain itself, or {@code null} without a chain
   * @param bodies decrypts encrypted bodies (docs/encryption.md)
   */
  LedgerAudit(
      Connection db,
      VerifierKey key,
      PseudonymKey pseudonyms,
      FhirContext fhirContext,
      byte[] trustedNote,
      List<AnchoredCheckpoint> anchors,
      Progress progress,
      StoredBodyReader bodies) {
    this.db = db;
    this.bodies = bodies;
    this.key = key;
    this.pseudonyms = pseudonyms;
    this.fhirContext = fhirContext;
    this.trustedNote = trustedNote;
    this.progress = progress;
    this.anchors = anchors == null ? List.of() : List.copyOf(anchors);
    this.chainGiven = anchors != null;
  }

  /**
   * Runs all passes.
   *
   * @throws InvalidNoteException if the auditor's kept checkpoint is not signed by the key
   * @throws SQLException if the database cannot be read
   */
  AuditReport run() throws SQLException, InvalidNoteException {
    Optional<Signed> trusted =
        trustedNote == null ? Optional.empty() : Optional.of(open(trustedNote));
    List<Signed> chain = checkCheckpoints(trusted);
    if (chainGiven) {
      report.anchors = anchors.size();
    }
    checkAnchorsAreCheckpoints(chain);
    Map<VersionKey, Ledgered> ledgered = checkEntries(chain, trusted);
    checkErasures();
    checkVersions(ledgered);
    checkAccessLog(ledgered);
    ledgered.forEach(
        (version, found) -> {
          if (isExcused(found)) {
            report.erasedVersions++; // erased, and its row is gone too
            return;
          }
          report.add(
              Kind.MISSING,
              found.subject(),
              "ledgered "
                  + found.entry().operation()
                  + (found.leafIndex() == null ? " (pending)" : " at leaf " + found.leafIndex())
                  + " but not in the database");
        });
    return report;
  }

  /** The latest signed checkpoint's note, to keep for the next run. */
  Optional<byte[]> latestNote() {
    return Optional.ofNullable(latestNote);
  }

  private byte[] latestNote;

  // ---- pass 1: checkpoints ----

  private List<Signed> checkCheckpoints(Optional<Signed> trusted) throws SQLException {
    List<Signed> chain = new ArrayList<>();
    long total = count("SELECT COUNT(*) FROM cp_checkpoint");
    byte[] previousNote = null;
    long expectedHeight = 0;
    long previousSize = 0;
    boolean trustedSeen = false;
    try (PreparedStatement query =
        streaming("SELECT height, tree_size, note FROM cp_checkpoint ORDER BY height")) {
      ResultSet rows = query.executeQuery();
      while (rows.next()) {
        long height = rows.getLong(1);
        byte[] note = rows.getBytes(3);
        String subject = "checkpoint height " + height;
        report.checkpoints++;
        Signed signed;
        try {
          signed = open(note);
        } catch (InvalidNoteException e) {
          report.add(
              Kind.CHECKPOINT, subject, "not validly signed by the log key: " + e.getMessage());
          previousNote = note;
          expectedHeight = height + 1;
          continue;
        }
        if (!signed.origin().equals(key.name())) {
          report.add(Kind.CHECKPOINT, subject, "signed for another log: " + signed.origin());
        }
        if (signed.height() != height) {
          report.add(Kind.CHECKPOINT, subject, "is stored at the wrong height");
        } else if (height != expectedHeight) {
          report.add(
              Kind.CHECKPOINT,
              subject,
              "the chain skips from height " + (expectedHeight - 1) + " to " + height);
        } else if (previousNote != null && !signed.link().follows(previousNote)) {
          report.add(
              Kind.CHECKPOINT, subject, "its prev hash does not name the checkpoint before it");
        }
        if (signed.treeSize() < previousSize) {
          report.add(Kind.CHECKPOINT, subject, "the tree shrank from " + previousSize);
        }
        if (trusted.isPresent() && trusted.get().height() == height) {
          trustedSeen = true;
          if (!MessageDigest.isEqual(trusted.get().note(), note)) {
            report.add(
                Kind.REWRITTEN,
                subject,
                "differs from the checkpoint you kept at this height: the log was rebuilt");
          }
        }
        chain.add(signed);
        previousNote = note;
        previousSize = signed.treeSize();
        expectedHeight = height + 1;
        progress.update("checkpoints", report.checkpoints, total);
      }
    }
    if (chain.isEmpty()) {
      report.add(Kind.CHECKPOINT, "log", "no validly signed checkpoint");
    } else {
      Signed latest = chain.get(chain.size() - 1);
      latestNote = latest.note();
      report.height = latest.height();
      report.treeSize = latest.treeSize();
    }
    if (trusted.isPresent() && !trustedSeen) {
      report.add(
          Kind.REWRITTEN,
          "checkpoint height " + trusted.get().height(),
          "the checkpoint you kept is not in the database (latest height " + report.height + ")");
    }
    return chain;
  }

  private Signed open(byte[] note) throws InvalidNoteException {
    Checkpoint checkpoint = Checkpoint.parse(SignedNote.open(note, List.of(key)).text());
    return new Signed(
        checkpoint.origin(),
        checkpoint.treeSize(),
        checkpoint.rootHash(),
        note,
        ChainLink.of(checkpoint));
  }

  /** Each anchor must be one of the database's signed checkpoints, byte for byte. */
  private void checkAnchorsAreCheckpoints(List<Signed> chain) {
    Set<String> noteHashes = new HashSet<>();
    chain.forEach(c -> noteHashes.add(HexFormat.of().formatHex(ChainLink.noteHash(c.note()))));
    for (AnchoredCheckpoint anchor : anchors) {
      if (!noteHashes.contains(HexFormat.of().formatHex(anchor.checkpointHash()))) {
        report.add(
            Kind.ANCHOR,
            anchorSubject(anchor),
            "the checkpoint anchored on the chain is not among the database's checkpoints");
      }
    }
  }

  private static String anchorSubject(AnchoredCheckpoint anchor) {
    return "anchor " + anchor.index() + " (block " + anchor.blockNumber() + ")";
  }

  // ---- pass 2: entries and the tree ----

  private Map<VersionKey, Ledgered> checkEntries(List<Signed> chain, Optional<Signed> trusted)
      throws SQLException {
    List<ClaimedRoot<Object>> roots = new ArrayList<>();
    chain.forEach(c -> roots.add(new ClaimedRoot<>(c.treeSize(), c.root(), c)));
    trusted.ifPresent(t -> roots.add(new ClaimedRoot<>(t.treeSize(), t.root(), t)));
    anchors.forEach(a -> roots.add(new ClaimedRoot<>(a.treeSize(), a.root(), a)));
    Map<VersionKey, Ledgered> ledgered = new HashMap<>();
    long total =
        count("SELECT COUNT(*) FROM cp_ledger_entry")
            + count("SELECT COUNT(*) FROM cp_ledger_pending");
    Signed kept = trusted.orElse(null);
    TreeRebuild<Object> tree = new TreeRebuild<>(roots, m -> reportRootMismatch(m, kept));
    try (PreparedStatement query =
        streaming(
            "SELECT e.leaf_index, e.entry, e.res_type, e.res_id, e.version, e.salt, n.hash"
                + " FROM cp_ledger_entry e LEFT JOIN cp_tree_node n"
                + " ON n.node_level = 0 AND n.node_index = e.leaf_index"
                + " ORDER BY e.leaf_index")) {
      ResultSet rows = query.executeQuery();
      while (rows.next()) {
        long leaf = rows.getLong(1);
        if (leaf != tree.size()) {
          report.add(
              Kind.ENTRY,
              "leaves " + tree.size() + ".." + (leaf - 1),
              "entries removed from the ledger");
          fillFromStoredLeaves(tree, leaf);
        }
        byte[] bytes = rows.getBytes(2);
        String subject =
            rows.getString(3) + "/" + rows.getString(4) + "/_history/" + rows.getLong(5);
        byte[] leafHash = MerkleHash.leafHash(bytes);
        byte[] storedLeafHash = rows.getBytes(7);
        if (storedLeafHash != null && !MessageDigest.isEqual(storedLeafHash, leafHash)) {
          report.add(
              Kind.ENTRY,
              "leaf " + leaf + " (" + subject + ")",
              "entry altered after it was logged");
        }
        tree.add(leafHash);
        remember(
            ledgered,
            leaf,
            leaf,
            bytes,
            rows.getString(3),
            rows.getString(4),
            rows.getLong(5),
            rows.getBytes(6));
        report.entries++;
        progress.update("entries", report.entries, total);
      }
    }
    tree.finish();
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT entry, res_type, res_id, version, salt FROM cp_ledger_pending"
                + " ORDER BY seq")) {
      ResultSet rows = query.executeQuery();
      while (rows.next()) {
        remember(
            ledgered,
            null,
            pendingPosition++,
            rows.getBytes(1),
            rows.getString(2),
            rows.getString(3),
            rows.getLong(4),
            rows.getBytes(5));
        report.entries++;
        report.pendingEntries++;
      }
    }
    return ledgered;
  }

  /** Indexes a parsed entry by the version it describes; a later entry replaces an earlier one. */
  private void remember(
      Map<VersionKey, Ledgered> ledgered,
      Long leaf,
      long position,
      byte[] bytes,
      String type,
      String id,
      long version,
      byte[] salt) {
    String subject = type + "/" + id + "/_history/" + version;
    describes(bytes, type, id, version, leaf == null ? "pending entry" : "leaf " + leaf)
        .ifPresent(
            e -> {
              if (e.operation() == Operation.ERASE) {
                // no stored version: the erasure is checked against its manifest instead
                erasures.add(new Erasure(position, e, subject));
                report.erasures++;
                return;
              }
              ledgered.put(
                  new VersionKey(e.resourceType(), e.resourceId(), e.version()),
                  new Ledgered(leaf, position, e, salt, subject));
            });
  }

  /** Parses an entry and checks it describes the version its row names. */
  private Optional<LedgerEntry> describes(
      byte[] bytes, String type, String id, long version, String where) {
    String subject = where + " (" + type + "/" + id + "/_history/" + version + ")";
    LedgerEntry entry;
    try {
      entry = LedgerEntry.parse(bytes);
    } catch (InvalidEntryException e) {
      report.add(Kind.ENTRY, subject, "malformed entry: " + e.getMessage());
      return Optional.empty();
    }
    if (!entry.resourceType().equals(type)
        || !entry.resourceId().equals(pseudonyms.resource(type, id))
        || entry.version() != version) {
      report.add(Kind.ENTRY, subject, "the entry describes a different resource version");
    }
    return Optional.of(entry);
  }

  /** Continues past removed entries with the leaf hashes the tree table still has, if any. */
  private void fillFromStoredLeaves(TreeRebuild<Object> tree, long untilLeaf) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT node_index, hash FROM cp_tree_node WHERE node_level = 0"
                + " AND node_index >= ? AND node_index < ? ORDER BY node_index")) {
      query.setLong(1, tree.size());
      query.setLong(2, untilLeaf);
      ResultSet rows = query.executeQuery();
      while (rows.next() && rows.getLong(1) == tree.size()) {
        tree.add(rows.getBytes(2));
      }
    }
  }

  private void reportRootMismatch(Mismatch<Object> mismatch, Signed trusted) {
    if (mismatch.claimed().claim() instanceof AnchoredCheckpoint anchor) {
      report.add(
          Kind.ANCHOR,
          anchorSubject(anchor),
          mismatch.sizeNeverReached()
              ? "anchors " + anchor.treeSize() + " entries but the ledger has " + mismatch.leaves()
              : "the ledger's first "
                  + anchor.treeSize()
                  + " entries are not those anchored on the chain");
      return;
    }
    Signed signed = (Signed) mismatch.claimed().claim();
    boolean kept = signed == trusted;
    String detail;
    if (mismatch.sizeNeverReached()) {
      detail = "covers " + signed.treeSize() + " entries but the ledger has " + mismatch.leaves();
    } else if (kept) {
      detail =
          "the ledger's first "
              + signed.treeSize()
              + " entries are not those of the checkpoint you kept";
    } else {
      detail = "its root does not match the ledger's first " + signed.treeSize() + " entries";
    }
    report.add(
        kept ? Kind.REWRITTEN : Kind.CHECKPOINT, "checkpoint height " + signed.height(), detail);
  }

  // ---- erasures: manifests against their ERASE entries ----

  /**
   * Each ERASE entry's manifest rows must hash to its commitment line; only then may the entries
   * listed be excused, and only those logged before it. Manifest rows without an ERASE entry excuse
   * nothing.
   */
  private void checkErasures() throws SQLException {
    Map<String, List<byte[]>> manifests = new HashMap<>();
    try (PreparedStatement query =
        db.prepareStatement("SELECT erase_leaf_hash, entry_leaf_hash FROM cp_ledger_erasure")) {
      ResultSet rows = query.executeQuery();
      while (rows.next()) {
        manifests
            .computeIfAbsent(HexFormat.of().formatHex(rows.getBytes(1)), h -> new ArrayList<>())
            .add(rows.getBytes(2));
      }
    }
    for (Erasure erasure : erasures) {
      List<byte[]> listed =
          manifests.getOrDefault(
              HexFormat.of().formatHex(erasure.entry().leafHash()), new ArrayList<>());
      manifests.remove(HexFormat.of().formatHex(erasure.entry().leafHash()));
      ErasureManifest manifest;
      try {
        manifest = ErasureManifest.of(listed);
      } catch (IllegalArgumentException e) {
        report.add(Kind.ERASURE, erasure.subject(), "its manifest is malformed: " + e.getMessage());
        continue;
      }
      if (!manifest.digest().equals(erasure.entry().commitment())) {
        report.add(
            Kind.ERASURE,
            erasure.subject(),
            "its manifest of " + listed.size() + " entries does not match the ERASE entry");
        continue;
      }
      manifest.leafHashesHex().forEach(h -> excused.merge(h, erasure.position(), Math::max));
    }
    manifests
        .keySet()
        .forEach(
            hash ->
                report.add(
                    Kind.ERASURE,
                    "manifest " + hash,
                    "lists erased entries but the ledger has no such ERASE entry"));
  }

  /** Whether an ERASE entry logged after this entry lists it in a matching manifest. */
  private boolean isExcused(Ledgered found) {
    if (excused.isEmpty() || !found.entry().operation().hasContent()) {
      return false; // no erasures: no hashing per version
    }
    Long erasedAt = excused.get(HexFormat.of().formatHex(found.entry().leafHash()));
    return erasedAt != null && found.position() < erasedAt;
  }

  // ---- pass 3: resource versions ----

  private void checkVersions(Map<VersionKey, Ledgered> ledgered) throws SQLException {
    long total = count("SELECT COUNT(*) FROM hfj_res_ver");
    try (PreparedStatement query =
        streaming(
            "SELECT r.res_type, r.fhir_id, v.res_ver, v.res_updated, v.res_encoding,"
                + " v.res_text_vc, v.source_uri, v.request_id, v.res_deleted_at, r.res_deleted_at"
                + " FROM hfj_res_ver v JOIN hfj_resource r ON r.res_id = v.res_id")) {
      ResultSet rows = query.executeQuery();
      while (rows.next()) {
        StoredVersion stored =
            new StoredVersion(
                rows.getString(1),
                rows.getString(2),
                rows.getLong(3),
                rows.getTimestamp(4),
                rows.getString(6),
                rows.getString(7),
                rows.getString(8));
        boolean deleted = "DEL".equals(rows.getString(5)) || rows.getTimestamp(9) != null;
        checkVersion(stored, deleted, rows.getTimestamp(10) != null, rows.getString(5), ledgered);
        report.versions++;
        progress.update("versions", report.versions, total);
      }
    }
  }

  // ---- pass 4: the access log's AuditEvents (stored as served, ledgered in batches) ----

  /**
   * The group commits one ACCESS entry covers (entry id null: not ledgered yet), gathered while
   * streaming pass 4: the tree over all their commitments, in {@code entry_offset} order, must be
   * the entry's.
   */
  private final class AccessEntry {
    final String entryId;
    final List<byte[]> leaves = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    AccessEntry(String entryId) {
      this.entryId = entryId;
    }

    void add(AccessBatch batch, int offset) {
      if (entryId != null && offset != leaves.size()) {
        report.add(
            Kind.ALTERED,
            "access-log batch " + batch.batchId,
            "is not at its place in ACCESS entry " + entryId);
      }
      leaves.addAll(batch.leaves);
    }

    void finish(Map<VersionKey, Ledgered> ledgered) {
      if (entryId == null) {
        return; // written since the last interval: ledgered by the next (like pending entries)
      }
      Ledgered found =
          ledgered.remove(
              new VersionKey(
                  LedgerEntry.ACCESS_TYPE,
                  pseudonyms.resource(LedgerEntry.ACCESS_TYPE, entryId),
                  1));
      if (found == null) {
        events.forEach(
            id ->
                report.add(
                    Kind.UNLEDGERED,
                    "AuditEvent/" + id,
                    "in the access log without a ledger entry"));
      } else if (leaves.isEmpty()
          || found.entry().operation() != Operation.ACCESS
          || !found
              .entry()
              .commitment()
              .equals(new Commitment(LedgerRecords.batchRoot(LedgerRecords.leaves(leaves))))) {
        report.add(
            Kind.ALTERED,
            "access-log entry " + entryId,
            "its events' commitments do not match its ledger entry");
      }
    }
  }

  /** One group commit of the access log: its stored commitments and the events at them. */
  private final class AccessBatch {
    final String batchId;
    final List<byte[]> leaves;
    final Set<Integer> seen = new HashSet<>();

    AccessBatch(String batchId, byte[] joined) {
      this.batchId = batchId;
      this.leaves = splitOrReport(batchId, joined);
    }

    void check(String eventId, int index, byte[] salt, String json) {
      String subject = "AuditEvent/" + eventId;
      report.accessEvents++;
      if (index < 0 || index >= leaves.size() || !seen.add(index)) {
        report.add(Kind.ALTERED, subject, "is not at a place of its batch");
      } else if (!opens(leaves.get(index), salt, json)) {
        report.add(Kind.ALTERED, subject, "does not match its ledger commitment");
      }
    }

    void finish() {
      for (int i = 0; i < leaves.size(); i++) {
        if (!seen.contains(i)) {
          report.add(
              Kind.MISSING,
              "AuditEvent " + i + " of access-log batch " + batchId,
              "ledgered but not in the database");
        }
      }
    }
  }

  private List<byte[]> splitOrReport(String batchId, byte[] joined) {
    try {
      return LedgerRecords.split(joined);
    } catch (IllegalArgumentException e) {
      report.add(Kind.ALTERED, "access-log batch " + batchId, "its list of commitments is cut");
      return List.of();
    }
  }

  private void checkAccessLog(Map<VersionKey, Ledgered> ledgered) throws SQLException {
    if (!tableExists("cp_access_audit") || !tableExists("cp_access_batch")) {
      return;
    }
    long total = count("SELECT COUNT(*) FROM cp_access_audit");
    try (PreparedStatement query =
        streaming(
            "SELECT b.entry_id, b.entry_offset, b.batch_id, b.leaves, a.event_id, a.batch_index,"
                + " a.salt, a.event_json FROM cp_access_batch b"
                + " LEFT JOIN cp_access_audit a ON a.batch_id = b.batch_id"
                + " ORDER BY b.entry_id, b.entry_offset, b.batch_id, a.batch_index")) {
      ResultSet rows = query.executeQuery();
      AccessEntry entry = null;
      AccessBatch batch = null;
      while (rows.next()) {
        String entryId = rows.getString(1);
        String batchId = rows.getString(3);
        if (batch == null || !batchId.equals(batch.batchId)) {
          if (batch != null) {
            batch.finish();
          }
          if (entry == null || entryId == null || !entryId.equals(entry.entryId)) {
            if (entry != null) {
              entry.finish(ledgered);
            }
            entry = new AccessEntry(entryId);
          }
          batch = new AccessBatch(batchId, rows.getBytes(4));
          entry.add(batch, rows.getInt(2));
        }
        String eventId = rows.getString(5);
        if (eventId != null) {
          entry.events.add(eventId);
          batch.check(eventId, rows.getInt(6), rows.getBytes(7), rows.getString(8));
          progress.update("access log", report.accessEvents, total);
        }
      }
      if (batch != null) {
        batch.finish();
        entry.finish(ledgered);
      }
    }
    try (PreparedStatement query =
        streaming(
            "SELECT a.event_id FROM cp_access_audit a WHERE a.batch_id IS NULL OR NOT EXISTS"
                + " (SELECT 1 FROM cp_access_batch b WHERE b.batch_id = a.batch_id)")) {
      ResultSet rows = query.executeQuery();
      while (rows.next()) {
        report.accessEvents++;
        report.add(
            Kind.UNLEDGERED,
            "AuditEvent/" + rows.getString(1),
            "in the access log without a ledgered batch");
      }
    }
  }

  private static boolean opens(byte[] commitment, byte[] salt, String json) {
    if (salt == null || json == null) {
      return false;
    }
    try {
      return Commitment.commitJson(Salt.of(salt), json).equals(new Commitment(commitment));
    } catch (InvalidJsonException | RuntimeException e) {
      return false;
    }
  }

  private void checkVersion(
      StoredVersion stored,
      boolean deleted,
      boolean resourceDeleted,
      String encoding,
      Map<VersionKey, Ledgered> ledgered)
      throws SQLException {
    String subject = stored.type() + "/" + stored.id() + "/_history/" + stored.version();
    Ledgered found =
        ledgered.remove(
            new VersionKey(
                stored.type(), pseudonyms.resource(stored.type(), stored.id()), stored.version()));
    if (found == null) {
      report.add(Kind.UNLEDGERED, subject, "stored without a ledger entry");
      return;
    }
    Operation operation = found.entry().operation();
    if (deleted != (operation == Operation.DELETE)) {
      report.add(
          Kind.ALTERED,
          subject,
          deleted ? "stored as a deletion but ledgered as " + operation : "ledgered as a deletion");
      return;
    }
    if (deleted) {
      return;
    }
    if (isExcused(found)) {
      // its content is no longer served or checkable (key and salt destroyed): it must be gone
      if (!resourceDeleted) {
        report.add(Kind.ERASURE, subject, "erased on the ledger but the resource is still served");
      } else if (found.salt() != null) {
        report.add(Kind.ERASURE, subject, "erased on the ledger but its salt remains");
      } else {
        report.erasedVersions++;
      }
      return;
    }
    if (found.salt() == null || stored.storedJson() == null) {
      report.add(
          Kind.ALTERED,
          subject,
          found.salt() == null
              ? "its salt is gone"
              : "no JSON content (encoding " + encoding + ")");
      return;
    }
    if (StoredBodyReader.isEncrypted(encoding, stored.storedJson())) {
      try {
        stored = decrypted(stored);
      } catch (BodyUnreadableException | KeyUnavailableException e) {
        // the message names the version's key or says what failed, never content
        report.add(Kind.ALTERED, subject, "stored content cannot be decrypted: " + e.getMessage());
        return;
      }
    }
    Commitment recomputed;
    try {
      recomputed =
          Commitment.commitJson(Salt.of(found.salt()), ServedForm.ofStored(fhirContext, stored));
    } catch (InvalidJsonException | RuntimeException e) {
      report.add(Kind.ALTERED, subject, "stored content is unreadable");
      return;
    }
    if (!recomputed.equals(found.entry().commitment())) {
      report.add(
          Kind.ALTERED,
          subject,
          "content does not match its ledger commitment"
              + (found.leafIndex() == null ? "" : " (leaf " + found.leafIndex() + ")"));
    }
  }

  private StoredVersion decrypted(StoredVersion stored) throws SQLException {
    return new StoredVersion(
        stored.type(),
        stored.id(),
        stored.version(),
        stored.lastUpdated(),
        bodies.json(stored.type(), stored.id(), stored.version(), stored.storedJson()),
        stored.sourceUri(),
        stored.requestId());
  }

  // ---- JDBC ----

  private PreparedStatement streaming(String sql) throws SQLException {
    PreparedStatement statement =
        db.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    statement.setFetchSize(1000);
    return statement;
  }

  private boolean tableExists(String table) throws SQLException {
    for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
      try (ResultSet tables = db.getMetaData().getTables(null, null, name, null)) {
        if (tables.next()) {
          return true;
        }
      }
    }
    return false;
  }

  private long count(String sql) throws SQLException {
    try (PreparedStatement query = db.prepareStatement(sql)) {
      ResultSet rows = query.executeQuery();
      rows.next();
      return rows.getLong(1);
    }
  }
}
