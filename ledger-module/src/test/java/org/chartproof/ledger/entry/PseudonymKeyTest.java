package org.chartproof.ledger.entry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PseudonymKeyTest {

  private static final byte[] KEY_BYTES = CommitmentTest.sequence(0x61, 32);
  private static final PseudonymKey KEY = PseudonymKey.of(KEY_BYTES);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31})
  void of_shortKey_rejects(int length) {
    assertThatThrownBy(() -> PseudonymKey.of(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "observation, 1",
    "O, 1",
    "Observation1, 1",
    "Observation, ''",
    "Observation, a/b",
    "Observation, a b",
    "Observation, a_b",
    "Observation, \u00e9",
    "Observation, 12345678901234567890123456789012345678901234567890123456789012345"
  })
  void resource_invalidTypeOrId_rejects(String type, String id) {
    assertThatThrownBy(() -> KEY.resource(type, id)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\nb", "a\tb", "a\u007fb", "a\u0085b", "a\ud800b", "\udc00"})
  void actor_emptyControlOrLoneSurrogate_rejects(String actor) {
    assertThatThrownBy(() -> KEY.actor(actor)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void actor_tooLong_rejects() {
    assertThatThrownBy(() -> KEY.actor("a".repeat(PseudonymKey.MAX_ACTOR_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyBytes_neverInToStringOrExceptionMessages() {
    List<String> forms =
        List.of(
            HexFormat.of().formatHex(KEY_BYTES),
            Base64.getEncoder().encodeToString(KEY_BYTES),
            new String(KEY_BYTES, UTF_8).substring(0, 8));
    List<String> texts =
        List.of(
            KEY.toString(),
            messageOf(() -> KEY.resource("bad", "1")),
            messageOf(() -> KEY.resource("Patient", "bad id")),
            messageOf(() -> KEY.actor("")),
            messageOf(() -> PseudonymKey.of(new byte[31])));
    for (String text : texts) {
      for (String form : forms) {
        assertThat(text).doesNotContain(form);
      }
    }
    assertThat(KEY.toString()).isEqualTo("PseudonymKey[redacted]");
  }

  private static String messageOf(Runnable action) {
    try {
      action.run();
    } catch (IllegalArgumentException e) {
      return String.valueOf(e.getMessage());
    }
    throw new AssertionError("expected a rejection");
  }

  @Test
  void resource_isHmacSha256OfDomainTypeAndId() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
    byte[] expected = mac.doFinal("chartproof-pseudonym-v1\nresource\nPatient/p-1".getBytes(UTF_8));

    assertThat(KEY.resource("Patient", "p-1").value()).isEqualTo(expected);
  }

  @Test
  void actor_isHmacSha256OfDomainAndActor() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
    byte[] expected = mac.doFinal("chartproof-pseudonym-v1\nactor\nclient:\u00e9".getBytes(UTF_8));

    assertThat(KEY.actor("client:\u00e9").value()).isEqualTo(expected);
  }

  @Test
  void pseudonyms_areSeparatedByKindTypeAndKey() {
    Pseudonym resource = KEY.resource("Patient", "1");

    assertThat(resource).isEqualTo(KEY.resource("Patient", "1"));
    assertThat(resource).isNotEqualTo(KEY.actor("Patient/1"));
    assertThat(resource).isNotEqualTo(KEY.resource("Person", "1"));
    assertThat(resource).isNotEqualTo(KEY.resource("Patient", "2"));
    assertThat(resource)
        .isNotEqualTo(PseudonymKey.generate(new SecureRandom()).resource("Patient", "1"));
  }

  @Test
  void of_longKeyAndGeneratedKey_work() {
    PseudonymKey longKey = PseudonymKey.of(CommitmentTest.sequence(0, 100));

    assertThat(longKey.resource("Patient", "1").value()).hasSize(Pseudonym.SIZE);
    assertThat(PseudonymKey.generate(new SecureRandom()).actor("a").value()).hasSize(32);
  }

  @Test
  void keyBytes_areCopiedIn() {
    byte[] bytes = KEY_BYTES.clone();
    PseudonymKey key = PseudonymKey.of(bytes);
    bytes[0] ^= 1;

    assertThat(key.resource("Patient", "1")).isEqualTo(KEY.resource("Patient", "1"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33})
  void pseudonym_wrongLength_rejects(int length) {
    assertThatThrownBy(() -> new Pseudonym(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
