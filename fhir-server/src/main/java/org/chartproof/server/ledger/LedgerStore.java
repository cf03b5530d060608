package org.chartproof.server.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chartproof.ledger.merkle.NodeId;
import org.chartproof.ledger.merkle.NodeReader;
import org.chartproof.ledger.merkle.TreeNode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger's tables (resources/ledger/schema.sql) through a {@link JdbcTemplate} on the
 * application's DataSource, so every call joins the surrounding Spring/HAPI transaction.
 */
final class LedgerStore implements NodeReader {

  /**
   * An entry not yet in the tree: its place in the pending queue, its bytes, and the columns that
   * move with it into the ledger.
   */
  record PendingEntry(long seq, byte[] entry, String type, String id, long version, byte[] salt) {}

  /** A stored checkpoint: its height, tree size and signed note. */
  record StoredCheckpoint(long height, long treeSize, byte[] note) {}

  /**
   * The entry recorded for a resource version, with its leaf index ({@code null} while pending) and
   * salt ({@code null} for a deletion).
   */
  record VersionEntry(long version, byte[] entry, Long leafIndex, byte[] salt) {}

  private final JdbcTemplate jdbc;

  LedgerStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Appends an entry to the pending queue (one statement, so one round trip inside the write's
   * transaction) with the version it records and that version's salt ({@code null} for a deletion).
   */
  void append(byte[] entry, String type, String id, long version, byte[] salt) {
    jdbc.update(
        "INSERT INTO cp_ledger_pending (entry, res_type, res_id, version, salt)"
            + " VALUES (?, ?, ?, ?, ?)",
        entry,
        type,
        id,
        version,
        salt);
  }

  /** Appends several entries to the pending queue in one batched statement ({@link #append}). */
  void appendAll(List<PendingEntry> entries) {
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (PendingEntry e : entries) {
      rows.add(new Object[] {e.entry(), e.type(), e.id(), e.version(), e.salt()});
    }
    jdbc.batchUpdate(
        "INSERT INTO cp_ledger_pending (entry, res_type, res_id, version, salt)"
            + " VALUES (?, ?, ?, ?, ?)",
        rows);
  }

  /**
   * The latest entry for a resource's version, or for its newest version when {@code version} is
   * {@code null}. If a version has several entries, the newest describes it: a pending one before
   * any in the tree. One statement, so one snapshot: an entry the sequencer moves meanwhile is seen
   * exactly once.
   */
  Optional<VersionEntry> entryFor(String type, String id, Long version) {
    String where =
        " WHERE res_type = ? AND res_id = ?" + (version == null ? "" : " AND version = ?");
    String sql =
        "SELECT version, entry, leaf_index, salt FROM ("
            + "SELECT version, entry, leaf_index, salt, 0 AS pending, leaf_index AS ord"
            + " FROM cp_ledger_entry"
            + where
            + " UNION ALL SELECT version, entry, NULL, salt, 1, seq FROM cp_ledger_pending"
            + where
            + ") e ORDER BY version DESC, pending DESC, ord DESC LIMIT 1";
    Object[] one = version == null ? new Object[] {type, id} : new Object[] {type, id, version};
    Object[] args = new Object[one.length * 2];
    System.arraycopy(one, 0, args, 0, one.length);
    System.arraycopy(one, 0, args, one.length, one.length);
    return jdbc
        .query(
            sql,
            (rs, i) ->
                new VersionEntry(
                    rs.getLong(1),
                    rs.getBytes(2),
                    rs.getObject(3) == null ? null : rs.getLong(3),
                    rs.getBytes(4)),
            args)
        .stream()
        .findFirst();
  }

  /** Committed entries waiting for the sequencer, in queue order. */
  List<PendingEntry> pending(int limit) {
    return jdbc.query(
        "SELECT seq, entry, res_type, res_id, version, salt FROM cp_ledger_pending"
            + " ORDER BY seq LIMIT ?",
        (rs, i) ->
            new PendingEntry(
                rs.getLong(1),
                rs.getBytes(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getBytes(6)),
        limit);
  }

  /**
   * Moves entries from the pending queue into the ledger under consecutive leaf indices. Deletes
   * exactly the rows read, by their keys: under READ COMMITTED a range delete could take an entry
   * committed after {@link #pending} read the queue.
   */
  void moveToLedger(List<PendingEntry> entries, long firstLeafIndex) {
    List<Object[]> rows = new ArrayList<>(entries.size());
    List<Object[]> keys = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      PendingEntry e = entries.get(i);
      rows.add(
          new Object[] {firstLeafIndex + i, e.entry(), e.type(), e.id(), e.version(), e.salt()});
      keys.add(new Object[] {e.seq()});
    }
    jdbc.batchUpdate(
        "INSERT INTO cp_ledger_entry (leaf_index, entry, res_type, res_id, version, salt)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        rows);
    jdbc.batchUpdate("DELETE FROM cp_ledger_pending WHERE seq = ?", keys);
  }

  void insertNodes(List<TreeNode> nodes) {
    List<Object[]> rows = new ArrayList<>(nodes.size());
    for (TreeNode node : nodes) {
      rows.add(new Object[] {node.id().level(), node.id().index(), node.hash()});
    }
    jdbc.batchUpdate(
        "INSERT INTO cp_tree_node (node_level, node_index, hash) VALUES (?, ?, ?)", rows);
  }

  /**
   * Reads stored nodes in one query.
   *
   * @throws IllegalStateException if a node is missing: the tree tables were altered
   */
  @Override
  public List<byte[]> read(List<NodeId> ids) {
    StringBuilder sql =
        new StringBuilder("SELECT node_level, node_index, hash FROM cp_tree_node WHERE ");
    List<Object> args = new ArrayList<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "" : " OR ").append("(node_level = ? AND node_index = ?)");
      args.add(ids.get(i).level());
      args.add(ids.get(i).index());
    }
    Map<NodeId, byte[]> found = new HashMap<>();
    jdbc.query(
        sql.toString(),
        rs -> {
          found.put(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
        },
        args.toArray());
    List<byte[]> hashes = new ArrayList<>(ids.size());
    for (NodeId id : ids) {
      byte[] hash = found.get(id);
      if (hash == null) {
        throw new IllegalStateException("ledger tree node " + id + " is missing");
      }
      hashes.add(hash);
    }
    return hashes;
  }

  Optional<StoredCheckpoint> latestCheckpoint() {
    return jdbc
        .query(
            "SELECT height, tree_size, note FROM cp_checkpoint ORDER BY height DESC LIMIT 1",
            (rs, i) -> new StoredCheckpoint(rs.getLong(1), rs.getLong(2), rs.getBytes(3)))
        .stream()
        .findFirst();
  }

  /** The checkpoint at {@code height}, if stored. */
  Optional<StoredCheckpoint> checkpointAtHeight(long height) {
    return jdbc
        .query(
            "SELECT height, tree_size, note FROM cp_checkpoint WHERE height = ?",
            (rs, i) -> new StoredCheckpoint(rs.getLong(1), rs.getLong(2), rs.getBytes(3)),
            height)
        .stream()
        .findFirst();
  }

  /** The stored checkpoints of tree size {@code treeSize}, oldest first. */
  List<StoredCheckpoint> checkpointsOfSize(long treeSize) {
    return jdbc.query(
        "SELECT height, tree_size, note FROM cp_checkpoint WHERE tree_size = ? ORDER BY height",
        (rs, i) -> new StoredCheckpoint(rs.getLong(1), rs.getLong(2), rs.getBytes(3)),
        treeSize);
  }

  /** The oldest checkpoint larger than {@code treeSize}: the first one not covered by it. */
  Optional<StoredCheckpoint> firstCheckpointLargerThan(long treeSize) {
    return jdbc
        .query(
            "SELECT height, tree_size, note FROM cp_checkpoint WHERE tree_size > ?"
                + " ORDER BY tree_size, height LIMIT 1",
            (rs, i) -> new StoredCheckpoint(rs.getLong(1), rs.getLong(2), rs.getBytes(3)),
            treeSize)
        .stream()
        .findFirst();
  }

  /** Records an anchor, replacing any rows from its index on (a reorg's leftovers). */
  void recordAnchor(AnchorStatus.AnchorRecord anchor) {
    jdbc.update("DELETE FROM cp_anchor WHERE anchor_index >= ?", anchor.index());
    jdbc.update(
        "INSERT INTO cp_anchor (anchor_index, tree_size, checkpoint_height, tx_hash,"
            + " block_number, anchored_at) VALUES (?, ?, ?, ?, ?, ?)",
        anchor.index(),
        anchor.treeSize(),
        anchor.checkpointHeight(),
        anchor.transactionHash(),
        anchor.blockNumber(),
        anchor.anchoredAtMillis());
  }

  /** Forgets anchors the chain no longer has. */
  void forgetAnchorsFrom(long index) {
    jdbc.update("DELETE FROM cp_anchor WHERE anchor_index >= ?", index);
  }

  /** The newest anchor this server recorded. */
  Optional<AnchorStatus.AnchorRecord> latestAnchor() {
    return jdbc
        .query(
            "SELECT anchor_index, tree_size, checkpoint_height, tx_hash, block_number, anchored_at"
                + " FROM cp_anchor ORDER BY anchor_index DESC LIMIT 1",
            (rs, i) ->
                new AnchorStatus.AnchorRecord(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getLong(5),
                    rs.getLong(6)))
        .stream()
        .findFirst();
  }

  void insertCheckpoint(StoredCheckpoint checkpoint) {
    jdbc.update(
        "INSERT INTO cp_checkpoint (height, tree_size, note) VALUES (?, ?, ?)",
        checkpoint.height(),
        checkpoint.treeSize(),
        checkpoint.note());
  }
}
