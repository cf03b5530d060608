package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.chartproof.ledger.merkle.TreeRebuild.ClaimedRoot;
import org.chartproof.ledger.merkle.TreeRebuild.Mismatch;
import org.junit.jupiter.api.Test;

class TreeRebuildTest {

  private static byte[] leaf(int i) {
    return MerkleHash.leafHash(("leaf " + i).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] root(int size) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      leaves.add(leaf(i));
    }
    return CompactRange.empty().append(leaves).range().root();
  }

  private static List<Mismatch<String>> rebuild(int leaves, List<ClaimedRoot<String>> claims) {
    List<Mismatch<String>> mismatches = new ArrayList<>();
    TreeRebuild<String> tree = new TreeRebuild<>(claims, mismatches::add);
    for (int i = 0; i < leaves; i++) {
      tree.add(leaf(i));
    }
    tree.finish();
    assertThat(tree.size()).isEqualTo(leaves);
    return mismatches;
  }

  @Test
  void rebuild_rootsClaimedAtEverySize_allMatch_acrossBatchBoundaries() {
    List<ClaimedRoot<String>> claims = new ArrayList<>();
    for (int size : new int[] {9000, 0, 1, 2, 3, 4095, 4096, 4097, 8192}) {
      claims.add(new ClaimedRoot<>(size, root(size), "at " + size));
    }

    assertThat(rebuild(9000, claims)).isEmpty();
  }

  @Test
  void rebuild_aWrongRoot_isReportedWithTheActualOne() {
    byte[] wrong = root(5);
    wrong[0] ^= 1;

    List<Mismatch<String>> mismatches =
        rebuild(
            7, List.of(new ClaimedRoot<>(5, wrong, "bad"), new ClaimedRoot<>(7, root(7), "ok")));

    assertThat(mismatches).hasSize(1);
    assertThat(mismatches.get(0).claimed().claim()).isEqualTo("bad");
    assertThat(mismatches.get(0).actualRoot()).isEqualTo(root(5));
    assertThat(mismatches.get(0).sizeNeverReached()).isFalse();
  }

  @Test
  void rebuild_aClaimBeyondTheLastLeaf_isReportedAsNeverReached() {
    List<Mismatch<String>> mismatches =
        rebuild(3, List.of(new ClaimedRoot<>(4, root(4), "beyond")));

    assertThat(mismatches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.sizeNeverReached()).isTrue();
              assertThat(m.leaves()).isEqualTo(3);
            });
  }

  @Test
  void rebuild_oneChangedLeaf_breaksEveryRootFromItsSizeOn() {
    List<Mismatch<String>> mismatches = new ArrayList<>();
    List<ClaimedRoot<String>> claims = new ArrayList<>();
    for (int size = 1; size <= 10; size++) {
      claims.add(new ClaimedRoot<>(size, root(size), "at " + size));
    }
    TreeRebuild<String> tree = new TreeRebuild<>(claims, mismatches::add);
    for (int i = 0; i < 10; i++) {
      tree.add(i == 6 ? leaf(99) : leaf(i));
    }
    tree.finish();

    assertThat(mismatches)
        .extracting(m -> m.claimed().claim())
        .containsExactly("at 7", "at 8", "at 9", "at 10");
  }
}
