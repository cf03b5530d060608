package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory node store filled the way the sequencer fills the real one (from {@link
 * CompactRange#append}), counting reads and asserting the {@link NodeReader} contract from the
 * caller's side.
 */
final class MemoryStore implements NodeReader {

  final List<byte[]> leafHashes = new ArrayList<>();
  private final Map<NodeId, byte[]> nodes = new HashMap<>();
  private CompactRange range = CompactRange.empty();
  int calls;
  int nodesRead;

  static MemoryStore withLeaves(long count) {
    MemoryStore store = new MemoryStore();
    store.append(leafHashes(0, count));
    return store;
  }

  static List<byte[]> leafHashes(long from, long to) {
    List<byte[]> hashes = new ArrayList<>();
    for (long i = from; i < to; i++) {
      hashes.add(MerkleHash.leafHash(("entry-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return hashes;
  }

  void append(List<byte[]> newLeafHashes) {
    CompactRange.Appended appended = range.append(newLeafHashes);
    for (TreeNode node : appended.newNodes()) {
      assertThat(nodes.put(node.id(), node.hash())).as("written twice: %s", node.id()).isNull();
    }
    range = appended.range();
    leafHashes.addAll(newLeafHashes);
  }

  long size() {
    return range.size();
  }

  int storedNodeCount() {
    return nodes.size();
  }

  byte[] rootAt(long size) {
    return MerkleTree.rootOf(leafHashes.subList(0, Math.toIntExact(size)));
  }

  void resetCounters() {
    calls = 0;
    nodesRead = 0;
  }

  @Override
  public List<byte[]> read(List<NodeId> ids) {
    calls++;
    nodesRead += ids.size();
    assertThat(ids).isNotEmpty().doesNotHaveDuplicates();
    List<byte[]> hashes = new ArrayList<>(ids.size());
    for (NodeId id : ids) {
      byte[] hash = nodes.get(id);
      if (hash == null) {
        throw new IllegalStateException("not a stored (complete) node: " + id);
      }
      hashes.add(hash);
    }
    return hashes;
  }
}
