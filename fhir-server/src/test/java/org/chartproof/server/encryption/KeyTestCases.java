package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** The behaviour every {@link KeyEncryptionKeys} shares, checked the same way for each source. */
final class KeyTestCases {
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyTestCases() {}

  static byte[] randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  /**
   * Wrap and unwrap round-trip; two wraps of one key differ (random nonce); a wrong or unknown
   * version, every flipped byte, a truncated and an empty value are refused with {@link
   * KeyUnavailableException} whose message holds no key bytes.
   */
  static void roundTripAndTamper(KeyEncryptionKeys keks) {
    byte[] dataKey = randomKey();
    String version = keks.activeVersion();
    byte[] wrapped = keks.wrap(dataKey);
    assertThat(keks.unwrap(version, wrapped)).isEqualTo(dataKey);
    assertThat(keks.wrap(dataKey)).isNotEqualTo(wrapped);
    String hex = HexFormat.of().formatHex(dataKey);

    for (int i = 0; i < wrapped.length; i++) {
      byte[] tampered = wrapped.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> keks.unwrap(version, tampered))
          .as("flipped byte %d", i)
          .isInstanceOf(KeyUnavailableException.class)
          .message()
          .doesNotContainIgnoringCase(hex);
    }
    assertThatThrownBy(() -> keks.unwrap(version, Arrays.copyOf(wrapped, wrapped.length - 1)))
        .isInstanceOf(KeyUnavailableException.class);
    assertThatThrownBy(() -> keks.unwrap(version, new byte[0]))
        .isInstanceOf(KeyUnavailableException.class);
    assertThatThrownBy(() -> keks.unwrap("kek-999", wrapped))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("kek-999");
    assertThatThrownBy(() -> keks.unwrap("not-a-version", wrapped))
        .isInstanceOf(KeyUnavailableException.class);

    // the version is bound into the wrapped bytes: under another existing version it fails
    String other = keks.createVersion();
    assertThatThrownBy(() -> keks.unwrap(other, wrapped))
        .isInstanceOf(KeyUnavailableException.class);
    assertThat(keks.unwrap(version, wrapped)).isEqualTo(dataKey);

    // a caller read the active version just before a new one was created, then wrapped: its row
    // names the older version, the key is wrapped under the newer; it must stay readable
    byte[] underOther = keks.wrap(dataKey);
    assertThat(KeystoreKeks.wrappedUnder(underOther)).isEqualTo(other);
    assertThat(keks.unwrap(version, underOther)).isEqualTo(dataKey);
  }
}
