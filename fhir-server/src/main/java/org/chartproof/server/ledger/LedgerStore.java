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

  /** An entry not yet in the tree: its insertion sequence number and its bytes. */
  record PendingEntry(long seq, byte[] entry) {}

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
   * Appends an entry (one statement, so one round trip inside the write's transaction) with the
   * version it records and that version's salt ({@code null} for a deletion).
   */
  void append(byte[] entry, String type, String id, long version, byte[] salt) {
    jdbc.update(
        "INSERT INTO cp_ledger_entry (entry, res_type, res_id, version, salt)"
            + " VALUES (?, ?, ?, ?, ?)",
        entry,
        type,
        id,
        version,
        salt);
  }

  /**
   * The latest entry for a resource's version, or for its newest version when {@code version} is
   * {@code null}. If a version has several entries, the newest describes it.
   */
  Optional<VersionEntry> entryFor(String type, String id, Long version) {
    String sql =
        "SELECT version, entry, leaf_index, salt FROM cp_ledger_entry"
            + " WHERE res_type = ? AND res_id = ?"
            + (version == null ? "" : " AND version = ?")
            + " ORDER BY version DESC, seq DESC LIMIT 1";
    Object[] args = version == null ? new Object[] {type, id} : new Object[] {type, id, version};
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

  /** Committed entries without a leaf index, oldest first. */
  List<PendingEntry> pending(int limit) {
    return jdbc.query(
        "SELECT seq, entry FROM cp_ledger_entry WHERE leaf_index IS NULL ORDER BY seq LIMIT ?",
        (rs, i) -> new PendingEntry(rs.getLong(1), rs.getBytes(2)),
        limit);
  }

  void assignLeafIndices(List<PendingEntry> entries, long firstLeafIndex) {
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      rows.add(new Object[] {firstLeafIndex + i, entries.get(i).seq()});
    }
    jdbc.batchUpdate("UPDATE cp_ledger_entry SET leaf_index = ? WHERE seq = ?", rows);
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
