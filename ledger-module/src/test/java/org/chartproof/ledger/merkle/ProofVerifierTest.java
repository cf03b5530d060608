package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial tests: a verifier that accepts a forged proof is worse than none. Failure paths
 * first; the happy paths are covered exhaustively in {@link ProofBuilderTest}.
 */
class ProofVerifierTest {

  private static final int MAX_SIZE = 17;
  private static final MemoryStore STORE = MemoryStore.withLeaves(MAX_SIZE);

  static Stream<Long> sizes() {
    return LongStream.rangeClosed(1, MAX_SIZE).boxed();
  }

  private static byte[] leaf(long index) {
    return STORE.leafHashes.get((int) index);
  }

  private static final List<byte[]> ROOTS =
      LongStream.rangeClosed(0, MAX_SIZE).mapToObj(STORE::rootAt).toList();

  private static byte[] root(long size) {
    return ROOTS.get((int) size).clone();
  }

  private static List<byte[]> inclusion(long index, long size) {
    return InclusionProof.build(index, size, STORE);
  }

  private static List<byte[]> consistency(long size1, long size2) {
    return ConsistencyProof.build(size1, size2, STORE);
  }

  private static byte[] flipped(byte[] hash, int position) {
    byte[] copy = hash.clone();
    copy[position] ^= 0x01;
    return copy;
  }

  private static List<byte[]> with(List<byte[]> proof, int index, byte[] hash) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.set(index, hash);
    return copy;
  }

  private static List<byte[]> inserted(List<byte[]> proof, int index, byte[] hash) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.add(index, hash);
    return copy;
  }

  private static List<byte[]> removed(List<byte[]> proof, int index) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.remove(index);
    return copy;
  }

  // ---- inclusion: tampered values ----

  @ParameterizedTest(name = "tree size {0}")
  @MethodSource("sizes")
  void verifyInclusion_flippedProofByte_rejects(long size) {
    for (long index = 0; index < size; index++) {
      List<byte[]> proof = inclusion(index, size);
      for (int i = 0; i < proof.size(); i++) {
        for (int b = 0; b < MerkleHash.HASH_SIZE; b++) {
          List<byte[]> forged = with(proof, i, flipped(proof.get(i), b));
          long leafIndex = index;
          assertThatThrownBy(
                  () ->
                      ProofVerifier.verifyInclusion(
                          leafIndex, size, leaf(leafIndex), forged, root(size)))
              .isInstanceOf(ProofMismatchException.class);
        }
      }
    }
  }

  @ParameterizedTest(name = "tree size {0}")
  @MethodSource("sizes")
  void verifyInclusion_flippedLeafHashByte_rejects(long size) {
    for (long index = 0; index < size; index++) {
      List<byte[]> proof = inclusion(index, size);
      for (int b = 0; b < MerkleHash.HASH_SIZE; b++) {
        byte[] forged = flipped(leaf(index), b);
        long leafIndex = index;
        assertThatThrownBy(
                () -> ProofVerifier.verifyInclusion(leafIndex, size, forged, proof, root(size)))
            .isInstanceOf(ProofMismatchException.class);
      }
    }
  }

  @ParameterizedTest(name = "tree size {0}")
  @MethodSource("sizes")
  void verifyInclusion_flippedRootByte_rejects(long size) {
    for (long index = 0; index < size; index++) {
      List<byte[]> proof = inclusion(index, size);
      for (int b = 0; b < MerkleHash.HASH_SIZE; b++) {
        byte[] forged = flipped(root(size), b);
        long leafIndex = index;
        assertThatThrownBy(
                () ->
                    ProofVerifier.verifyInclusion(leafIndex, size, leaf(leafIndex), proof, forged))
            .isInstanceOf(ProofMismatchException.class);
      }
    }
  }

  @ParameterizedTest(name = "tree size {0}")
  @MethodSource("sizes")
  void verifyInclusion_otherLeafOrIndexWithSameProof_rejects(long size) {
    for (long index = 0; index < size; index++) {
      List<byte[]> proof = inclusion(index, size);
      for (long other = 0; other < size; other++) {
        if (other == index) {
          continue;
        }
        long leafIndex = index;
        long otherIndex = other;
        assertThatThrownBy(
                () ->
                    ProofVerifier.verifyInclusion(
                        otherIndex, size, leaf(leafIndex), proof, root(size)))
            .as("leaf %d claimed at index %d", index, other)
            .isInstanceOf(ProofVerificationException.class);
        assertThatThrownBy(
                () ->
                    ProofVerifier.verifyInclusion(
                        leafIndex, size, leaf(otherIndex), proof, root(size)))
            .as("leaf %d with the proof of leaf %d", other, index)
            .isInstanceOf(ProofMismatchException.class);
      }
    }
  }

  @ParameterizedTest(name = "tree size {0}")
  @ValueSource(longs = {3, 4, 5, 8, 13, 16, 17})
  void verifyInclusion_swappedAdjacentProofHashes_rejects(long size) {
    for (long index = 0; index < size; index++) {
      List<byte[]> proof = new ArrayList<>(inclusion(index, size));
      for (int i = 0; i + 1 < proof.size(); i++) {
        List<byte[]> forged = new ArrayList<>(proof);
        Collections.swap(forged, i, i + 1);
        long leafIndex = index;
        assertThatThrownBy(
                () ->
                    ProofVerifier.verifyInclusion(
                        leafIndex, size, leaf(leafIndex), forged, root(size)))
            .isInstanceOf(ProofMismatchException.class);
      }
    }
  }

  // ---- inclusion: malformed shape ----

  @ParameterizedTest(name = "tree size {0}")
  @MethodSource("sizes")
  void verifyInclusion_extraOrMissingHash_rejectsAsInvalid(long size) {
    for (long index = 0; index < size; index++) {
      List<byte[]> proof = inclusion(index, size);
      List<List<byte[]>> forgeries = new ArrayList<>();
      forgeries.add(inserted(proof, proof.size(), root(size)));
      forgeries.add(inserted(proof, 0, leaf(index)));
      forgeries.add(inserted(proof, proof.size(), MerkleHash.emptyRoot()));
      if (!proof.isEmpty()) {
        forgeries.add(removed(proof, 0));
        forgeries.add(removed(proof, proof.size() - 1));
        forgeries.add(inserted(proof, proof.size(), proof.get(proof.size() - 1)));
      }
      for (List<byte[]> forged : forgeries) {
        long leafIndex = index;
        assertThatThrownBy(
                () ->
                    ProofVerifier.verifyInclusion(
                        leafIndex, size, leaf(leafIndex), forged, root(size)))
            .isInstanceOf(InvalidProofException.class)
            .hasMessageContaining("the tree sizes require " + proof.size());
      }
    }
  }

  @Test
  void verifyInclusion_emptyProofForLargerTree_rejectsAsInvalid() {
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 2, leaf(0), List.of(), root(2)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void verifyInclusion_indexOutsideTree_rejectsAsInvalid() {
    List<byte[]> proof = inclusion(4, 5);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(5, 5, leaf(4), proof, root(5)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(9, 5, leaf(4), proof, root(5)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(-1, 5, leaf(4), proof, root(5)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () -> ProofVerifier.verifyInclusion(Long.MIN_VALUE, 5, leaf(4), proof, root(5)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void verifyInclusion_emptyTree_rejectsAsInvalid() {
    assertThatThrownBy(
            () -> ProofVerifier.verifyInclusion(0, 0, leaf(0), List.of(), MerkleHash.emptyRoot()))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, -1, leaf(0), List.of(), root(1)))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 31, 33, 64})
  void verifyInclusion_wrongLengthProofHash_rejectsAsInvalid(int length) {
    List<byte[]> proof = inclusion(2, 8);
    // A truncated or padded copy keeps the real bytes, so only the length check can catch it.
    byte[] resized = Arrays.copyOf(proof.get(1), length);
    assertThatThrownBy(
            () -> ProofVerifier.verifyInclusion(2, 8, leaf(2), with(proof, 1, resized), root(8)))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("proof hash 1 must be 32 bytes");
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 31, 33})
  void verifyInclusion_wrongLengthLeafHash_rejectsAsInvalid(int length) {
    byte[] resized = Arrays.copyOf(leaf(0), length);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, resized, List.of(), resized))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void verifyInclusion_wrongRoot_reportsExpectedAndComputedRoots() {
    ProofMismatchException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ProofMismatchException.class,
            () -> ProofVerifier.verifyInclusion(3, 9, leaf(3), inclusion(3, 9), root(8)));

    assertThat(Hex.of(e.expectedRoot())).isEqualTo(Hex.of(root(8)));
    assertThat(Hex.of(e.computedRoot())).isEqualTo(Hex.of(root(9)));
    assertThat(e).hasMessageContaining(Hex.of(root(9)));
  }

  @Test
  void verifyInclusion_nullArguments_throwNullPointerException() {
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, null, List.of(), root(1)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, leaf(0), null, root(1)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, leaf(0), List.of(), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void verifyInclusion_sizeIsNotCommittedByRoot_soCallersMustTakeBothFromOneCheckpoint() {
    // Leaf 0's path has the same shape in trees of 3 and 4 leaves, so only the root says which
    // tree is meant; this pins the documented limitation rather than endorsing it.
    assertThatCode(() -> ProofVerifier.verifyInclusion(0, 4, leaf(0), inclusion(0, 3), root(3)))
        .doesNotThrowAnyException();
  }

  // ---- consistency: tampered values ----

  @ParameterizedTest(name = "size2 {0}")
  @MethodSource("sizes")
  void verifyConsistency_flippedProofByte_rejects(long size2) {
    for (long size1 = 1; size1 < size2; size1++) {
      List<byte[]> proof = consistency(size1, size2);
      for (int i = 0; i < proof.size(); i++) {
        for (int b = 0; b < MerkleHash.HASH_SIZE; b++) {
          List<byte[]> forged = with(proof, i, flipped(proof.get(i), b));
          long first = size1;
          assertThatThrownBy(
                  () ->
                      ProofVerifier.verifyConsistency(
                          first, size2, forged, root(first), root(size2)))
              .isInstanceOf(ProofMismatchException.class);
        }
      }
    }
  }

  @ParameterizedTest(name = "size2 {0}")
  @MethodSource("sizes")
  void verifyConsistency_flippedRootByte_rejects(long size2) {
    for (long size1 = 1; size1 <= size2; size1++) {
      List<byte[]> proof = consistency(size1, size2);
      for (int b = 0; b < MerkleHash.HASH_SIZE; b++) {
        long first = size1;
        byte[] forged1 = flipped(root(size1), b);
        byte[] forged2 = flipped(root(size2), b);
        assertThatThrownBy(
                () -> ProofVerifier.verifyConsistency(first, size2, proof, forged1, root(size2)))
            .isInstanceOf(ProofMismatchException.class);
        assertThatThrownBy(
                () -> ProofVerifier.verifyConsistency(first, size2, proof, root(first), forged2))
            .isInstanceOf(ProofMismatchException.class);
      }
    }
  }

  @ParameterizedTest(name = "size2 {0}")
  @MethodSource("sizes")
  void verifyConsistency_swappedRoots_rejects(long size2) {
    for (long size1 = 1; size1 < size2; size1++) {
      List<byte[]> proof = consistency(size1, size2);
      long first = size1;
      assertThatThrownBy(
              () -> ProofVerifier.verifyConsistency(first, size2, proof, root(size2), root(first)))
          .isInstanceOf(ProofMismatchException.class);
    }
  }

  // ---- consistency: malformed shape ----

  @ParameterizedTest(name = "size2 {0}")
  @MethodSource("sizes")
  void verifyConsistency_extraOrMissingHash_rejectsAsInvalid(long size2) {
    for (long size1 = 1; size1 <= size2; size1++) {
      List<byte[]> proof = consistency(size1, size2);
      List<List<byte[]>> forgeries = new ArrayList<>();
      forgeries.add(inserted(proof, proof.size(), root(size2)));
      forgeries.add(inserted(proof, 0, root(size1)));
      if (!proof.isEmpty()) {
        forgeries.add(removed(proof, 0));
        forgeries.add(removed(proof, proof.size() - 1));
      }
      for (List<byte[]> forged : forgeries) {
        long first = size1;
        assertThatThrownBy(
                () ->
                    ProofVerifier.verifyConsistency(first, size2, forged, root(first), root(size2)))
            .isInstanceOf(InvalidProofException.class);
      }
    }
  }

  @Test
  void verifyConsistency_size1GreaterThanSize2_rejectsAsInvalid() {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(5, 4, List.of(), root(5), root(4)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () -> ProofVerifier.verifyConsistency(1, 0, List.of(), root(1), MerkleHash.emptyRoot()))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void verifyConsistency_fromEmptyTree_rejectsAsInvalid() {
    byte[] empty = MerkleHash.emptyRoot();
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 0, List.of(), empty, empty))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 5, List.of(), empty, root(5)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 1, List.of(empty), empty, root(1)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(-1, 5, List.of(), empty, root(5)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void verifyConsistency_equalSizesWithNonEmptyProof_rejectsAsInvalid() {
    assertThatThrownBy(
            () -> ProofVerifier.verifyConsistency(4, 4, List.of(root(4)), root(4), root(4)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () -> ProofVerifier.verifyConsistency(1, 1, List.of(leaf(0)), root(1), root(1)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void verifyConsistency_equalSizesWithDifferentRoots_rejects() {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(4, 4, List.of(), root(4), root(5)))
        .isInstanceOf(ProofMismatchException.class);
  }

  @Test
  void verifyConsistency_equalSizesAndRoots_accepts() {
    assertThatCode(() -> ProofVerifier.verifyConsistency(4, 4, List.of(), root(4), root(4)))
        .doesNotThrowAnyException();
  }

  @Test
  void verifyConsistency_emptyProofBetweenDifferentSizes_rejectsAsInvalid() {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 2, List.of(), root(1), root(2)))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 31, 33})
  void verifyConsistency_wrongLengthHashes_rejectAsInvalid(int length) {
    List<byte[]> proof = consistency(3, 8);
    byte[] resized = Arrays.copyOf(proof.get(0), length);
    assertThatThrownBy(
            () -> ProofVerifier.verifyConsistency(3, 8, with(proof, 0, resized), root(3), root(8)))
        .isInstanceOf(InvalidProofException.class);
    // For a power-of-two size1 the old root seeds the computation, so it must be a real hash.
    byte[] oldRoot = Arrays.copyOf(root(4), length);
    assertThatThrownBy(
            () -> ProofVerifier.verifyConsistency(4, 8, consistency(4, 8), oldRoot, root(8)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void verifyConsistency_wrongRoot_reportsExpectedAndComputedRoots() {
    ProofMismatchException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ProofMismatchException.class,
            () -> ProofVerifier.verifyConsistency(3, 7, consistency(3, 7), root(3), root(6)));

    assertThat(Hex.of(e.expectedRoot())).isEqualTo(Hex.of(root(6)));
    assertThat(Hex.of(e.computedRoot())).isEqualTo(Hex.of(root(7)));
  }
}
