package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.chartproof.server.encryption.SealedBody.Binding;
import org.junit.jupiter.api.Test;

class SealedBodyTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String KEY_ID = "7d1f0c6e-4a8b-4c1e-9f5d-2b3a4c5d6e7f";
  private static final Binding BINDING = new Binding("Observation", "1001", 2, KEY_ID);
  private static final byte[] JSON =
      "{\"resourceType\":\"Observation\",\"id\":\"1001\",\"status\":\"final\"}"
          .getBytes(StandardCharsets.UTF_8);

  /** Key bytes 00..1f, nonce bytes a0..ab: the worked example of docs/encryption.md. */
  static DataKey exampleKey() {
    byte[] raw = new byte[32];
    for (int i = 0; i < 32; i++) {
      raw[i] = (byte) i;
    }
    return new DataKey(KEY_ID, raw);
  }

  static SecureRandom fixedNonce() {
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) (0xa0 + i);
        }
      }
    };
  }

  @Test
  void associatedData_isTheDocumentedBytes() {
    assertThat(new String(BINDING.associatedData(), StandardCharsets.UTF_8))
        .isEqualTo("chartproof-body/v1\nObservation\n1001\n2\n" + KEY_ID);
  }

  @Test
  void seal_workedExample_matchesTheDocumentedBytes() throws Exception {
    byte[] sealed = SealedBody.seal(exampleKey(), BINDING, JSON, fixedNonce());
    // docs/encryption.md, "Worked example" (computed independently with Python's cryptography)
    assertThat(HEX.formatHex(sealed))
        .isEqualTo(
            "01a0a1a2a3a4a5a6a7a8a9aaab"
                + "9d3a0e4836a477cd0100d3aa771fe2e452e33b63f7c5340de86749e85d875768"
                + "b6547ddd9e12630c7db026bb7d1bf78c34397c6a04b9741f2d7c7614b74f8a0e"
                + "77432451fbacf676112845");
    assertThat(SealedBody.open(exampleKey(), BINDING, sealed)).isEqualTo(JSON);
  }

  @Test
  void open_everyFlippedByte_isRejected() {
    byte[] sealed = SealedBody.seal(exampleKey(), BINDING, JSON, new SecureRandom());
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> SealedBody.open(exampleKey(), BINDING, tampered))
          .as("byte %d", i)
          .isInstanceOf(AEADBadTagException.class);
    }
  }

  @Test
  void open_anyOtherBinding_isRejected() {
    byte[] sealed = SealedBody.seal(exampleKey(), BINDING, JSON, new SecureRandom());
    for (Binding other :
        new Binding[] {
          new Binding("Patient", "1001", 2, KEY_ID),
          new Binding("Observation", "1002", 2, KEY_ID),
          new Binding("Observation", "1001", 1, KEY_ID),
          new Binding("Observation", "1001", 2, "another-key-id"),
        }) {
      assertThatThrownBy(() -> SealedBody.open(exampleKey(), other, sealed))
          .as(other.toString())
          .isInstanceOf(AEADBadTagException.class);
    }
  }

  @Test
  void open_underAnotherKey_isRejected() {
    byte[] sealed = SealedBody.seal(exampleKey(), BINDING, JSON, new SecureRandom());
    DataKey other = new DataKey(KEY_ID, new byte[32]);
    assertThatThrownBy(() -> SealedBody.open(other, BINDING, sealed))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void seal_drawsAFreshNonceEachTime() {
    byte[] a = SealedBody.seal(exampleKey(), BINDING, JSON, new SecureRandom());
    byte[] b = SealedBody.seal(exampleKey(), BINDING, JSON, new SecureRandom());
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void dataKey_neverPrintsItsBytes() {
    assertThat(exampleKey().toString()).isEqualTo("DataKey[" + KEY_ID + "]");
  }
}
