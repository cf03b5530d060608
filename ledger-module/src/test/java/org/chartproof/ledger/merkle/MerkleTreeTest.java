package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MerkleTreeTest {

  /** The eight inputs of the RFC 6962 reference test data (certificate-transparency, merkle). */
  private static final String[] ENTRIES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
  };

  private static List<byte[]> leafHashes(int count) {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hashes.add(MerkleHash.leafHash(Hex.parse(ENTRIES[i])));
    }
    return hashes;
  }

  @ParameterizedTest(name = "size {0}")
  @CsvSource({
    "0, e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "1, 6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "2, fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "3, aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "4, d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "5, 4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "6, 76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "7, ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "8, 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  })
  void rootOf_matchesRfc6962ReferenceRoots(int size, String expectedRoot) {
    assertThat(Hex.of(MerkleTree.rootOf(leafHashes(size)))).isEqualTo(expectedRoot);
  }

  @Test
  void rootOf_wrongLengthLeafHash_rejects() {
    assertThatThrownBy(() -> MerkleTree.rootOf(List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rootOf_singleLeaf_returnsCopyOfLeafHash() {
    byte[] leaf = MerkleHash.leafHash(new byte[0]);

    byte[] root = MerkleTree.rootOf(List.of(leaf));
    root[0] ^= 1;

    assertThat(Hex.of(leaf)).startsWith("6e34");
  }

  @Test
  void inclusionProof_ofEveryLeafOfTreesUpTo40_verifiesAgainstTheRoot() throws Exception {
    for (int size = 1; size <= 40; size++) {
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        leaves.add(MerkleHash.leafHash(new byte[] {(byte) i, (byte) size}));
      }
      byte[] root = MerkleTree.rootOf(leaves);
      for (int index = 0; index < size; index++) {
        int i = index;
        List<byte[]> proof = MerkleTree.inclusionProof(leaves, i);

        ProofVerifier.verifyInclusion(i, size, leaves.get(i), proof, root);
        if (size > 1) {
          byte[] other = leaves.get((i + 1) % size);
          assertThatThrownBy(
                  () -> ProofVerifier.verifyInclusion(i, leaves.size(), other, proof, root))
              .isInstanceOf(ProofMismatchException.class);
        }
      }
    }
  }

  @Test
  void inclusionProof_outsideTheTree_isRejected() {
    assertThatThrownBy(() -> MerkleTree.inclusionProof(leafHashes(3), 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
