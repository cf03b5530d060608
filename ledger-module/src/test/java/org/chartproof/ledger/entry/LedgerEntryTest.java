package org.chartproof.ledger.entry;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.chartproof.ledger.merkle.MerkleHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerEntryTest {

  private static final PseudonymKey KEY = PseudonymKey.of(CommitmentTest.sequence(7, 32));
  private static final Pseudonym ID = KEY.resource("Observation", "obs-1");
  private static final Pseudonym ACTOR = KEY.actor("Practitioner/pr-7");
  private static final Commitment CONTENT =
      Commitment.commit(Salt.of(CommitmentTest.sequence(9, 32)), "{}".getBytes(UTF_8));
  private static final LedgerEntry ENTRY =
      new LedgerEntry(Operation.UPDATE, "Observation", ID, 3, 1_700_000_000_000L, ACTOR, CONTENT);

  private static final String H = "chartproof-entry/v1\n";
  private static final String X = "00".repeat(32);
  private static final String Y = "ab".repeat(32);
  private static final String VALID =
      H
          + "op CREATE\ntype Patient\nid "
          + X
          + "\nversion 1\ntime 0\nactor "
          + X
          + "\ncommitment "
          + Y
          + "\n";

  @Test
  void parse_everyBitOfEveryByteFlipped_rejectsOrYieldsAnotherCanonicalEntry() {
    byte[] encoded = ENTRY.toBytes();
    for (int i = 0; i < encoded.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] forged = encoded.clone();
        forged[i] ^= (byte) (1 << bit);
        LedgerEntry parsed;
        try {
          parsed = LedgerEntry.parse(forged);
        } catch (InvalidEntryException e) {
          continue;
        }
        assertThat(parsed).as("byte %d bit %d", i, bit).isNotEqualTo(ENTRY);
        assertThat(parsed.toBytes()).as("byte %d bit %d", i, bit).isEqualTo(forged);
      }
    }
  }

  @Test
  void parse_everyTruncation_rejects() {
    byte[] encoded = ENTRY.toBytes();
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> LedgerEntry.parse(truncated))
          .as("length %d", length)
          .isInstanceOf(InvalidEntryException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", " ", "x", "\u0000", "op CREATE\n"})
  void parse_trailingBytes_rejects(String trailer) {
    byte[] encoded = (new String(ENTRY.toBytes(), US_ASCII) + trailer).getBytes(UTF_8);

    assertThatThrownBy(() -> LedgerEntry.parse(encoded)).isInstanceOf(InvalidEntryException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chartproof-entry/v2\n",
        "chartproof-entry/v0\n",
        "Chartproof-entry/v1\n",
        "chartproof-entry/v1 \n",
        "\nchartproof-entry/v1\n",
      })
  void parse_unknownHeader_rejects(String header) {
    byte[] encoded = VALID.replace(H, header).getBytes(UTF_8);

    assertThatThrownBy(() -> LedgerEntry.parse(encoded)).isInstanceOf(InvalidEntryException.class);
  }

  /** Each case replaces the first occurrence of the part before "=>" by the part after it. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "op CREATE=>op ERASED",
        "op CREATE=>op erase",
        "op CREATE=>op ACCESS", // an ACCESS entry names an AuditEvent batch, not a Patient
        "op CREATE=>op READ",
        "op CREATE=>op create",
        "op CREATE=>op  CREATE",
        "op CREATE=>op CREATE ",
        "op CREATE=>operation CREATE",
        "type Patient=>type patient",
        "type Patient=>type P",
        "type Patient=>type Pat1ent",
        "type Patient=>type Pabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefgh",
        "version 1=>version 0",
        "version 1=>version 01",
        "version 1=>version -1",
        "version 1=>version +1",
        "version 1=>version 9223372036854775808",
        "version 1=>version 1.0",
        "time 0=>time 00",
        "time 0=>time -1",
        "time 0=>time 99999999999999999999",
        "time 0=>time ",
        "id 00=>id 0A",
        "id 00=>id 0",
        "id 00=>id 000",
        "ab\n=>AB\n",
        "ab\n=>a\n",
        "\n=>\r\n",
        "\nversion 1\ntime 0=>\ntime 0\nversion 1",
        "\ntime 0\n=>\n",
        "\ntime 0\n=>\ntime 0\ntime 0\n",
        "Patient=>Pati\u00e9nt",
        "Patient=>Pat\u0000ent",
        "Patient=>Pat\tent",
        "commitment abab=>commitment  abab",
      })
  void parse_malformedField_rejects(String replacement) {
    String[] parts = replacement.split("=>", -1);
    String text = VALID.replaceFirst(java.util.regex.Pattern.quote(parts[0]), parts[1]);
    assertThat(text).isNotEqualTo(VALID);

    assertThatThrownBy(() -> LedgerEntry.parse(text.getBytes(UTF_8)))
        .isInstanceOf(InvalidEntryException.class);
  }

  @Test
  void parse_contentOperationWithNone_rejects() {
    String text = VALID.replace("commitment " + Y, "commitment " + X);

    assertThatThrownBy(() -> LedgerEntry.parse(text.getBytes(UTF_8)))
        .isInstanceOf(InvalidEntryException.class);
  }

  @Test
  void parse_deletionWithContentCommitment_rejects() {
    String text = VALID.replace("op CREATE", "op DELETE");

    assertThatThrownBy(() -> LedgerEntry.parse(text.getBytes(UTF_8)))
        .isInstanceOf(InvalidEntryException.class);
  }

  @Test
  void parse_erasureWithoutManifestDigest_rejects() {
    String text =
        VALID.replace("op CREATE", "op ERASE").replace("commitment " + Y, "commitment " + X);

    assertThatThrownBy(() -> LedgerEntry.parse(text.getBytes(UTF_8)))
        .isInstanceOf(InvalidEntryException.class);
  }

  @Test
  void parse_erasureOfAnotherTypeThanPatient_rejects() {
    String text = VALID.replace("op CREATE", "op ERASE").replace("type Patient", "type Group");

    assertThatThrownBy(() -> LedgerEntry.parse(text.getBytes(UTF_8)))
        .isInstanceOf(InvalidEntryException.class);
  }

  @Test
  void parse_erasure_isValidAndRoundTrips() throws Exception {
    String text = VALID.replace("op CREATE", "op ERASE");

    LedgerEntry entry = LedgerEntry.parse(text.getBytes(UTF_8));

    assertThat(entry.operation()).isEqualTo(Operation.ERASE);
    assertThat(entry.operation().hasContent()).isFalse();
    assertThat(entry.toBytes()).isEqualTo(text.getBytes(UTF_8));
  }

  @Test
  void parse_accessBatch_isValidAndRoundTrips_andNeedsItsTreeHash() throws Exception {
    String text =
        VALID.replace("op CREATE", "op ACCESS").replace("type Patient", "type AuditEvent");

    LedgerEntry entry = LedgerEntry.parse(text.getBytes(UTF_8));

    assertThat(entry.operation()).isEqualTo(Operation.ACCESS);
    assertThat(entry.operation().hasContent()).isFalse();
    assertThat(entry.operation().hasCommitment()).isTrue();
    assertThat(entry.toBytes()).isEqualTo(text.getBytes(UTF_8));
    String withoutHash = text.replace("commitment " + Y, "commitment " + X);
    assertThatThrownBy(() -> LedgerEntry.parse(withoutHash.getBytes(UTF_8)))
        .isInstanceOf(InvalidEntryException.class);
  }

  @Test
  void parse_template_isValid() throws Exception {
    assertThat(LedgerEntry.parse(VALID.getBytes(UTF_8)).toBytes()).isEqualTo(VALID.getBytes(UTF_8));
  }

  @ParameterizedTest
  @EnumSource(Operation.class)
  void toBytesThenParse_roundTripsEveryOperation(Operation operation) throws Exception {
    Commitment commitment = operation.hasCommitment() ? CONTENT : Commitment.NONE;
    String type = operation == Operation.ACCESS ? LedgerEntry.ACCESS_TYPE : "Patient";
    LedgerEntry entry =
        new LedgerEntry(operation, type, ID, Long.MAX_VALUE, Long.MAX_VALUE, ACTOR, commitment);

    LedgerEntry parsed = LedgerEntry.parse(entry.toBytes());

    assertThat(parsed).isEqualTo(entry);
    assertThat(parsed.toBytes()).isEqualTo(entry.toBytes());
  }

  @Test
  void toBytes_isDeterministicAndFieldsChangeIt() {
    LedgerEntry same =
        new LedgerEntry(
            Operation.UPDATE,
            "Observation",
            KEY.resource("Observation", "obs-1"),
            3,
            1_700_000_000_000L,
            KEY.actor("Practitioner/pr-7"),
            new Commitment(CONTENT.hash()));
    LedgerEntry later =
        new LedgerEntry(Operation.UPDATE, "Observation", ID, 3, 1_700_000_000_001L, ACTOR, CONTENT);

    assertThat(same.toBytes()).isEqualTo(ENTRY.toBytes());
    assertThat(same).isEqualTo(ENTRY).hasSameHashCodeAs(ENTRY);
    assertThat(later.toBytes()).isNotEqualTo(ENTRY.toBytes());
    assertThat(later.leafHash()).isNotEqualTo(ENTRY.leafHash());
  }

  @Test
  void leafHash_isRfc6962LeafOfTheEncoding() {
    assertThat(ENTRY.leafHash()).isEqualTo(MerkleHash.leafHash(ENTRY.toBytes()));
  }

  @Test
  void constructor_invalidFields_reject() {
    assertThatThrownBy(() -> entry(Operation.CREATE, "patient", 1, 0, CONTENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Operation.CREATE, "Patient", 0, 0, CONTENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Operation.CREATE, "Patient", 1, -1, CONTENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Operation.CREATE, "Patient", 1, 0, Commitment.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Operation.UPDATE, "Patient", 1, 0, Commitment.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Operation.DELETE, "Patient", 1, 0, CONTENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Operation.ERASE, "Patient", 1, 0, Commitment.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Operation.ERASE, "Observation", 1, 0, CONTENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(null, "Patient", 1, 0, CONTENT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> entry(Operation.CREATE, "Patient", 1, 0, null))
        .isInstanceOf(NullPointerException.class);
  }

  private static LedgerEntry entry(
      Operation operation, String type, long version, long time, Commitment commitment) {
    return new LedgerEntry(operation, type, ID, version, time, ACTOR, commitment);
  }
}
