package org.chartproof.ledger.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerifierKeyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        SignedNoteTest.PETER_VKEY,
        SignedNoteTest.C2SP_VKEY,
        // from transparency-dev/formats tests: the base64 part contains '+'
        "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6",
      })
  void parse_thenEncode_roundTrips(String vkey) {
    assertThat(VerifierKey.parse(vkey).encode()).isEqualTo(vkey);
  }

  @Test
  void of_computesC2spKeyId() {
    VerifierKey parsed = VerifierKey.parse(SignedNoteTest.C2SP_VKEY);

    assertThat(VerifierKey.of(parsed.name(), parsed.publicKey()).keyId()).isEqualTo(0x530d903a);
  }

  @Test
  void parse_everyTruncationOrDeletion_rejects() {
    String vkey = SignedNoteTest.PETER_VKEY;
    for (int i = 0; i < vkey.length(); i++) {
      for (int j = i + 1; j <= vkey.length(); j++) {
        String mangled = vkey.substring(0, i) + vkey.substring(j);
        assertThatThrownBy(() -> VerifierKey.parse(mangled))
            .as(mangled)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // wrong key ID
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        // upper-case hex is not the canonical encoding
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        // signature type 0x02 instead of 0x01
        "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        // name with a space
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        // extra part
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+x",
      })
  void parse_malformedVkey_rejects(String vkey) {
    assertThatThrownBy(() -> VerifierKey.parse(vkey)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsePrivateKey_wrongKeyId_rejects() {
    String skey = SignedNoteTest.PETER_SKEY.replace("c74f20a3", "c74f20a4");

    assertThatThrownBy(() -> NoteSigner.parsePrivateKey(skey))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equals_comparesPublicKeyByValue() {
    assertThat(VerifierKey.parse(SignedNoteTest.PETER_VKEY))
        .isEqualTo(VerifierKey.parse(SignedNoteTest.PETER_VKEY))
        .hasSameHashCodeAs(VerifierKey.parse(SignedNoteTest.PETER_VKEY));
  }
}
