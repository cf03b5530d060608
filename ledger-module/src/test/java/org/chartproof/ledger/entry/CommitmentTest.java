package org.chartproof.ledger.entry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommitmentTest {

  private static final Salt SALT = Salt.of(sequence(0x40, Salt.SIZE));
  private static final byte[] CONTENT = "{\"resourceType\":\"Patient\"}".getBytes(UTF_8);

  static byte[] sequence(int first, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (first + i);
    }
    return bytes;
  }

  @Test
  void verify_everySaltByteFlipped_rejects() {
    Commitment commitment = Commitment.commit(SALT, CONTENT);
    byte[] salt = SALT.bytes();
    for (int i = 0; i < salt.length; i++) {
      byte[] forged = salt.clone();
      forged[i] ^= 0x01;
      assertThatThrownBy(() -> commitment.verify(Salt.of(forged), CONTENT))
          .as("salt byte %d", i)
          .isInstanceOf(CommitmentMismatchException.class);
    }
  }

  @Test
  void verify_everyContentByteFlipped_rejects() {
    Commitment commitment = Commitment.commit(SALT, CONTENT);
    for (int i = 0; i < CONTENT.length; i++) {
      byte[] forged = CONTENT.clone();
      forged[i] ^= 0x01;
      assertThatThrownBy(() -> commitment.verify(SALT, forged))
          .as("content byte %d", i)
          .isInstanceOf(CommitmentMismatchException.class);
    }
  }

  @Test
  void verify_everyCommitmentByteFlipped_rejects() {
    byte[] hash = Commitment.commit(SALT, CONTENT).hash();
    for (int i = 0; i < hash.length; i++) {
      byte[] forged = hash.clone();
      forged[i] ^= (byte) 0x80;
      assertThatThrownBy(() -> new Commitment(forged).verify(SALT, CONTENT))
          .as("commitment byte %d", i)
          .isInstanceOf(CommitmentMismatchException.class);
    }
  }

  @Test
  void verify_truncatedOrExtendedContent_rejects() {
    Commitment commitment = Commitment.commit(SALT, CONTENT);
    byte[] extended = (new String(CONTENT, UTF_8) + " ").getBytes(UTF_8);

    assertThatThrownBy(() -> commitment.verify(SALT, new byte[0]))
        .isInstanceOf(CommitmentMismatchException.class);
    assertThatThrownBy(() -> commitment.verify(SALT, extended))
        .isInstanceOf(CommitmentMismatchException.class);
  }

  @Test
  void verify_none_rejectsEverything() {
    assertThatThrownBy(() -> Commitment.NONE.verify(SALT, CONTENT))
        .isInstanceOf(CommitmentMismatchException.class);
    assertThatThrownBy(() -> Commitment.NONE.verify(SALT, new byte[0]))
        .isInstanceOf(CommitmentMismatchException.class);
  }

  @Test
  void verify_mismatch_carriesBothCommitmentsButNoSaltOrContent() {
    Commitment commitment = Commitment.commit(SALT, CONTENT);
    byte[] other = "{}".getBytes(UTF_8);

    assertThatThrownBy(() -> commitment.verify(SALT, other))
        .isInstanceOfSatisfying(
            CommitmentMismatchException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(commitment);
              assertThat(e.computed()).isEqualTo(Commitment.commit(SALT, other));
              assertThat(e.getMessage())
                  .contains(commitment.toHex())
                  .doesNotContain(HexFormat.of().formatHex(SALT.bytes()))
                  .doesNotContain("Patient");
            });
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31, 33, 64})
  void saltOf_wrongLength_rejects(int length) {
    assertThatThrownBy(() -> Salt.of(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33})
  void commitment_wrongLength_rejects(int length) {
    assertThatThrownBy(() -> new Commitment(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_matchingSaltAndContent_accepts() {
    Commitment commitment = Commitment.commit(SALT, CONTENT);

    assertThatCode(() -> commitment.verify(Salt.of(SALT.bytes()), CONTENT.clone()))
        .doesNotThrowAnyException();
  }

  @Test
  void commit_isSha256OfDomainSaltAndContent() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("chartproof-commitment-v1\n".getBytes(UTF_8));
    sha256.update(SALT.bytes());
    sha256.update(CONTENT);

    assertThat(Commitment.commit(SALT, CONTENT).hash()).isEqualTo(sha256.digest());
    assertThat(Commitment.DOMAIN.getBytes(UTF_8)).hasSize(25);
  }

  @Test
  void commitJson_commitsToTheCanonicalForm() throws Exception {
    String served = "{ \"resourceType\" : \"Observation\", \"valueQuantity\": {\"value\": 13.20} }";
    byte[] canonical = JsonCanonicalizer.canonicalize(served);

    assertThat(new String(canonical, UTF_8))
        .isEqualTo("{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":13.2}}");
    assertThat(Commitment.commitJson(SALT, served)).isEqualTo(Commitment.commit(SALT, canonical));
    assertThatThrownBy(() -> Commitment.commitJson(SALT, "{\"a\":1,\"a\":1}"))
        .isInstanceOf(InvalidJsonException.class);
  }

  @Test
  void commit_freshSalts_hideEqualContent() {
    SecureRandom random = new SecureRandom();
    Salt first = Salt.random(random);
    Salt second = Salt.random(random);

    assertThat(first).isNotEqualTo(second);
    assertThat(Commitment.commit(first, CONTENT)).isNotEqualTo(Commitment.commit(second, CONTENT));
  }

  @Test
  void salt_toString_neverRevealsBytes() {
    String text = SALT.toString();

    assertThat(text).isEqualTo("Salt[redacted]");
    assertThat(text).doesNotContain(HexFormat.of().formatHex(SALT.bytes()).substring(0, 4));
  }

  @Test
  void salt_isDefensivelyCopiedAndComparedByValue() {
    byte[] bytes = sequence(1, Salt.SIZE);
    Salt salt = Salt.of(bytes);
    bytes[0] ^= 1;
    salt.bytes()[1] ^= 1;

    assertThat(salt.bytes()).isEqualTo(sequence(1, Salt.SIZE));
    assertThat(salt).isEqualTo(Salt.of(sequence(1, Salt.SIZE))).isNotEqualTo(SALT);
  }

  @Test
  void none_isAllZeroAndOnlyNoneIsNone() {
    assertThat(Commitment.NONE.hash()).containsOnly(0);
    assertThat(Commitment.NONE.isNone()).isTrue();
    assertThat(Commitment.commit(SALT, new byte[0]).isNone()).isFalse();
  }
}
