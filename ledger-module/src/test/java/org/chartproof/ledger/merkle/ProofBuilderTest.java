package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProofBuilderTest {

  static Stream<Long> treeSizes() {
    return Stream.concat(LongStream.rangeClosed(1, 64).boxed(), Stream.of(1000L, 4097L));
  }

  static Stream<Long> smallTreeSizes() {
    return LongStream.rangeClosed(1, 64).boxed();
  }

  private static int ceilLog2(long n) {
    return Long.SIZE - Long.numberOfLeadingZeros(n - 1);
  }

  @ParameterizedTest(name = "tree size {0}")
  @MethodSource("treeSizes")
  void inclusionProof_everyLeaf_matchesRfc6962PathAndVerifies(long treeSize) throws Exception {
    MemoryStore store = MemoryStore.withLeaves(treeSize);
    byte[] root = store.rootAt(treeSize);
    for (long index = 0; index < treeSize; index++) {
      store.resetCounters();
      List<byte[]> proof = InclusionProof.build(index, treeSize, store);

      assertThat(store.nodesRead).isLessThanOrEqualTo(2 * ceilLog2(treeSize));
      assertThat(store.calls).isEqualTo(proof.isEmpty() ? 0 : 1);
      if (treeSize <= 64) {
        assertThat(Hex.of(proof))
            .isEqualTo(Hex.of(Rfc6962Reference.path((int) index, store.leafHashes)));
      }
      ProofVerifier.verifyInclusion(
          index, treeSize, store.leafHashes.get((int) index), proof, root);
    }
  }

  @ParameterizedTest(name = "size2 {0}")
  @MethodSource("smallTreeSizes")
  void consistencyProof_everyEarlierSize_matchesRfc6962ProofAndVerifies(long size2)
      throws Exception {
    MemoryStore store = MemoryStore.withLeaves(size2);
    byte[] root2 = store.rootAt(size2);
    for (long size1 = 1; size1 <= size2; size1++) {
      store.resetCounters();
      List<byte[]> proof = ConsistencyProof.build(size1, size2, store);

      assertThat(store.nodesRead).isLessThanOrEqualTo(2 * ceilLog2(size2) + 1);
      assertThat(store.calls).isEqualTo(proof.isEmpty() ? 0 : 1);
      assertThat(Hex.of(proof))
          .as("size1 %d", size1)
          .isEqualTo(Hex.of(Rfc6962Reference.proof((int) size1, store.leafHashes)));
      ProofVerifier.verifyConsistency(size1, size2, proof, store.rootAt(size1), root2);
    }
  }

  @Test
  void consistencyProof_randomLargeSizes_verifyWithLogarithmicReads() throws Exception {
    MemoryStore store = MemoryStore.withLeaves(5000);
    Random random = new Random(3);
    List<long[]> pairs = new ArrayList<>(List.of(new long[] {1000, 4097}, new long[] {4096, 4097}));
    for (int i = 0; i < 200; i++) {
      long a = 1 + random.nextInt(5000);
      long b = 1 + random.nextInt(5000);
      pairs.add(new long[] {Math.min(a, b), Math.max(a, b)});
    }
    for (long[] pair : pairs) {
      store.resetCounters();
      List<byte[]> proof = ConsistencyProof.build(pair[0], pair[1], historic(store, pair[1]));

      assertThat(store.nodesRead).isLessThanOrEqualTo(2 * ceilLog2(pair[1]) + 1);
      ProofVerifier.verifyConsistency(
          pair[0], pair[1], proof, store.rootAt(pair[0]), store.rootAt(pair[1]));
    }
  }

  @Test
  void inclusionProof_againstEarlierTreeFromGrownStore_readsOnlyNodesCompleteThen()
      throws Exception {
    MemoryStore store = MemoryStore.withLeaves(100);
    for (long treeSize = 1; treeSize <= 100; treeSize++) {
      byte[] root = store.rootAt(treeSize);
      for (long index = 0; index < treeSize; index++) {
        List<byte[]> proof = InclusionProof.build(index, treeSize, historic(store, treeSize));
        ProofVerifier.verifyInclusion(
            index, treeSize, store.leafHashes.get((int) index), proof, root);
      }
    }
  }

  /** A view of the store that fails on any node that was not yet complete at {@code treeSize}. */
  private static NodeReader historic(MemoryStore store, long treeSize) {
    return ids -> {
      for (NodeId id : ids) {
        assertThat(id.firstLeaf() + (1L << id.level()))
            .as("%s must be complete in a tree of %d", id, treeSize)
            .isLessThanOrEqualTo(treeSize);
      }
      return store.read(ids);
    };
  }

  @ParameterizedTest(name = "tree size {0}")
  @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62, (1L << 62) + 1, 1L << 32})
  void build_hugeTreeSizes_requestOnlyCompleteNodesWithinBounds(long treeSize) {
    List<NodeId> requested = new ArrayList<>();
    NodeReader completeOnly =
        ids -> {
          for (NodeId id : ids) {
            assertThat(id.firstLeaf()).isLessThanOrEqualTo(treeSize - (1L << id.level()));
          }
          requested.addAll(ids);
          return ids.stream()
              .map(id -> MerkleHash.leafHash(id.toString().getBytes(StandardCharsets.UTF_8)))
              .toList();
        };
    for (long index : new long[] {0, treeSize / 3, treeSize - 2, treeSize - 1}) {
      requested.clear();
      List<byte[]> proof = InclusionProof.build(index, treeSize, completeOnly);
      assertThat(proof).hasSize(TreeMath.inclusionPathLength(0, index, treeSize));
      assertThat(requested).hasSizeLessThanOrEqualTo(2 * ceilLog2(treeSize));
    }
    for (long size1 : new long[] {1, treeSize / 3, treeSize - 1}) {
      requested.clear();
      List<byte[]> proof = ConsistencyProof.build(size1, treeSize, completeOnly);
      assertThat(proof).hasSize(TreeMath.consistencyProofLength(size1, treeSize));
      assertThat(requested).hasSizeLessThanOrEqualTo(2 * ceilLog2(treeSize) + 1);
    }
  }

  @Test
  void inclusionProof_indexOutsideTree_rejects() {
    NodeReader unused = ids -> List.of();
    assertThatThrownBy(() -> InclusionProof.build(5, 5, unused))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InclusionProof.build(-1, 5, unused))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InclusionProof.build(0, 0, unused))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void consistencyProof_invalidSizes_rejects() {
    NodeReader unused = ids -> List.of();
    assertThatThrownBy(() -> ConsistencyProof.build(0, 5, unused))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConsistencyProof.build(0, 0, unused))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConsistencyProof.build(6, 5, unused))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void consistencyProof_equalSizes_isEmptyWithoutReads() {
    assertThat(ConsistencyProof.build(7, 7, ids -> List.of())).isEmpty();
  }

  @Test
  void build_readerReturningWrongCount_failsLoudly() {
    assertThatThrownBy(() -> InclusionProof.build(0, 8, ids -> List.of(new byte[32])))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned 1 hashes for 3 nodes");
  }

  @Test
  void build_readerReturningMalformedHash_failsLoudly() {
    NodeReader shortHashes = ids -> ids.stream().map(id -> new byte[31]).toList();
    assertThatThrownBy(() -> ConsistencyProof.build(3, 8, shortHashes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("malformed hash");
  }

  @Test
  void build_mutatingReturnedProof_doesNotTouchReaderHashes() {
    MemoryStore store = MemoryStore.withLeaves(8);
    List<byte[]> first = InclusionProof.build(0, 8, store);
    first.get(0)[0] ^= 1;

    assertThatCode(
            () ->
                ProofVerifier.verifyInclusion(
                    0,
                    8,
                    store.leafHashes.get(0),
                    InclusionProof.build(0, 8, store),
                    store.rootAt(8)))
        .doesNotThrowAnyException();
  }
}
