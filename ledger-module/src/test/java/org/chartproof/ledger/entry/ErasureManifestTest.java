package org.chartproof.ledger.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErasureManifestTest {

  private static byte[] filled(int value) {
    byte[] hash = new byte[32];
    Arrays.fill(hash, (byte) value);
    return hash;
  }

  @Test
  void digest_matchesTheShellRecipe() {
    // { printf 'chartproof-erasure-v1\n'; printf '%s\n' 1111..11 0a0a..0a | sort -u; } | sha256sum
    ErasureManifest manifest = ErasureManifest.of(List.of(filled(0x11), filled(0x0a)));

    assertThat(manifest.digest().toHex())
        .isEqualTo("7de7d699697f98260d321d6a11fe2f66d376e0cd287159a5f6c6db5faef67f0d");
    assertThat(manifest.leafHashesHex()).containsExactly("0a".repeat(32), "11".repeat(32));
  }

  @Test
  void digest_ofNothing_isTheDomainsHash() {
    // printf 'chartproof-erasure-v1\n' | sha256sum
    assertThat(ErasureManifest.of(List.of()).digest().toHex())
        .isEqualTo("12f05a4595262eb636cb981b373f4507de1b6e97fb6ca1785ac45d3d2e77bb0f");
  }

  @Test
  void digest_doesNotDependOnOrder_butOnEveryHash() {
    ErasureManifest ab = ErasureManifest.of(List.of(filled(1), filled(2)));
    ErasureManifest ba = ErasureManifest.of(List.of(filled(2), filled(1)));
    ErasureManifest a = ErasureManifest.of(List.of(filled(1)));
    byte[] flipped = filled(2);
    flipped[31] ^= 1;
    ErasureManifest changed = ErasureManifest.of(List.of(filled(1), flipped));

    assertThat(ab.digest()).isEqualTo(ba.digest());
    assertThat(a.digest()).isNotEqualTo(ab.digest());
    assertThat(changed.digest()).isNotEqualTo(ab.digest());
    assertThat(ab.contains(filled(2))).isTrue();
    assertThat(ab.contains(flipped)).isFalse();
    assertThat(ab.size()).isEqualTo(2);
  }

  @Test
  void of_duplicateOrWrongLength_rejects() {
    assertThatThrownBy(() -> ErasureManifest.of(List.of(filled(1), filled(1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ErasureManifest.of(List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(HexFormat.of().formatHex(ErasureManifest.of(List.of()).toBytes())).isEmpty();
  }
}
