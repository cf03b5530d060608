package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactRangeTest {

  private static final int MAX_SIZE = 130;
  private static final List<byte[]> LEAVES = MemoryStore.leafHashes(0, MAX_SIZE);

  @Test
  void root_afterAppendingOneByOne_matchesRootOfEverySize() {
    CompactRange range = CompactRange.empty();
    for (int size = 0; size <= MAX_SIZE; size++) {
      assertThat(range.size()).isEqualTo(size);
      assertThat(Hex.of(range.root()))
          .as("size %d", size)
          .isEqualTo(Hex.of(MerkleTree.rootOf(LEAVES.subList(0, size))));
      if (size < MAX_SIZE) {
        range = range.append(List.of(LEAVES.get(size))).range();
      }
    }
  }

  @Test
  void append_inRandomBatches_givesSameRangeAsOneBatch() {
    Random random = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      CompactRange range = CompactRange.empty();
      while (range.size() < MAX_SIZE) {
        int from = (int) range.size();
        int to = Math.min(MAX_SIZE, from + random.nextInt(20));
        range = range.append(LEAVES.subList(from, to)).range();
      }
      CompactRange oneBatch = CompactRange.empty().append(LEAVES).range();
      assertThat(Hex.of(range.frontier())).isEqualTo(Hex.of(oneBatch.frontier()));
    }
  }

  @Test
  void append_newNodes_areEveryCompleteNodeExactlyOnceWithItsSubtreeHash() {
    Map<NodeId, byte[]> written = new HashMap<>();
    CompactRange range = CompactRange.empty();
    for (int size = 1; size <= MAX_SIZE; size++) {
      CompactRange.Appended appended = range.append(List.of(LEAVES.get(size - 1)));
      for (TreeNode node : appended.newNodes()) {
        assertThat(written.put(node.id(), node.hash())).as("%s", node.id()).isNull();
      }
      range = appended.range();
      // A tree of n leaves has 2n - popcount(n) complete nodes.
      assertThat(written).hasSize(2 * size - Long.bitCount(size));
    }
    written.forEach(
        (id, hash) -> {
          int from = Math.toIntExact(id.firstLeaf());
          int to = from + (1 << id.level());
          assertThat(to).isLessThanOrEqualTo(MAX_SIZE);
          assertThat(Hex.of(hash))
              .as("%s", id)
              .isEqualTo(Hex.of(MerkleTree.rootOf(LEAVES.subList(from, to))));
        });
  }

  @Test
  void append_newNodes_listChildrenBeforeParents() {
    List<TreeNode> nodes = CompactRange.empty().append(LEAVES.subList(0, 64)).newNodes();
    List<NodeId> seen = new ArrayList<>();
    for (TreeNode node : nodes) {
      NodeId id = node.id();
      if (id.level() > 0) {
        assertThat(seen)
            .contains(
                new NodeId(id.level() - 1, 2 * id.index()),
                new NodeId(id.level() - 1, 2 * id.index() + 1));
      }
      seen.add(id);
    }
  }

  @Test
  void load_fromStoreAtEveryEarlierSize_reproducesThatTree() {
    MemoryStore store = MemoryStore.withLeaves(MAX_SIZE);
    for (int size = 0; size <= MAX_SIZE; size++) {
      store.resetCounters();
      CompactRange loaded = CompactRange.load(size, store);

      assertThat(Hex.of(loaded.root())).isEqualTo(Hex.of(store.rootAt(size)));
      assertThat(store.nodesRead).isEqualTo(Long.bitCount(size));
      assertThat(store.calls).isEqualTo(size == 0 ? 0 : 1);
    }
  }

  @Test
  void load_thenAppend_continuesTheSameTree() {
    MemoryStore store = MemoryStore.withLeaves(77);
    CompactRange loaded = CompactRange.load(77, store);

    CompactRange grown = loaded.append(LEAVES.subList(77, MAX_SIZE)).range();

    assertThat(Hex.of(grown.root())).isEqualTo(Hex.of(MerkleTree.rootOf(LEAVES)));
  }

  @Test
  void frontierIds_areTheCompleteSubtreesOfTheSizeLargestFirst() {
    assertThat(CompactRange.frontierIds(0)).isEmpty();
    assertThat(CompactRange.frontierIds(13))
        .containsExactly(new NodeId(3, 0), new NodeId(2, 2), new NodeId(0, 12));
    assertThat(CompactRange.frontierIds(Long.MAX_VALUE)).hasSize(63);
  }

  @Test
  void of_wrongFrontierCount_rejects() {
    assertThatThrownBy(() -> CompactRange.of(3, List.of(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 frontier hashes");
  }

  @Test
  void of_wrongHashLength_rejects() {
    assertThatThrownBy(() -> CompactRange.of(1, List.of(new byte[33])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_negativeSize_rejects() {
    assertThatThrownBy(() -> CompactRange.of(-1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void append_wrongLengthLeafHash_rejects() {
    assertThatThrownBy(() -> CompactRange.empty().append(List.of(new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void load_readerReturningMalformedHash_failsLoudly() {
    assertThatThrownBy(() -> CompactRange.load(3, ids -> List.of(new byte[32], new byte[5])))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CompactRange.load(3, ids -> List.of(new byte[32])))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void frontier_isDefensivelyCopied() {
    CompactRange range = CompactRange.empty().append(LEAVES.subList(0, 3)).range();
    String before = Hex.of(range.root());

    range.frontier().get(0)[0] ^= 1;

    assertThat(Hex.of(range.root())).isEqualTo(before);
  }

  @Test
  void append_mutatingReturnedNodeHash_doesNotCorruptRange() {
    CompactRange.Appended appended = CompactRange.empty().append(LEAVES.subList(0, 4));
    String before = Hex.of(appended.range().root());

    appended.newNodes().forEach(node -> node.hash()[0] ^= 1);

    assertThat(Hex.of(appended.range().root())).isEqualTo(before);
  }
}
