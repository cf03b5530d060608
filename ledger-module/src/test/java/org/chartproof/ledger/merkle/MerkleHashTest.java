package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MerkleHashTest {

  @Test
  void emptyRoot_isSha256OfEmptyString() {
    assertThat(Hex.of(MerkleHash.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void emptyRoot_returnsFreshArray() {
    MerkleHash.emptyRoot()[0] ^= 1;

    assertThat(Hex.of(MerkleHash.emptyRoot())).startsWith("e3b0c442");
  }

  @Test
  void leafHash_ofEmptyEntry_matchesRfc6962ReferenceValue() {
    // MTH of the one-leaf tree {""} from the RFC 6962 reference test data.
    assertThat(Hex.of(MerkleHash.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  }

  @Test
  void leafHash_andHashChildren_useDistinctPrefixes() {
    byte[] left = MerkleHash.leafHash("a".getBytes(StandardCharsets.UTF_8));
    byte[] right = MerkleHash.leafHash("b".getBytes(StandardCharsets.UTF_8));
    byte[] concatenated = new byte[64];
    System.arraycopy(left, 0, concatenated, 0, 32);
    System.arraycopy(right, 0, concatenated, 32, 32);

    // An interior node must never equal a leaf over the same bytes (second preimage defence).
    assertThat(Hex.of(MerkleHash.hashChildren(left, right)))
        .isNotEqualTo(Hex.of(MerkleHash.leafHash(concatenated)));
    assertThat(MerkleHash.LEAF_HASH_PREFIX).isZero();
    assertThat(MerkleHash.NODE_HASH_PREFIX).isEqualTo((byte) 1);
  }

  @Test
  void hashChildren_matchesRfc6962TwoLeafRoot() {
    byte[] leaf0 = MerkleHash.leafHash(new byte[0]);
    byte[] leaf1 = MerkleHash.leafHash(new byte[] {0x00});

    assertThat(Hex.of(MerkleHash.hashChildren(leaf0, leaf1)))
        .isEqualTo("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  }
}
