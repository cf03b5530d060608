package org.chartproof.ledger.entry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.HexFormat;
import org.chartproof.ledger.merkle.MerkleHash;
import org.junit.jupiter.api.Test;

/**
 * The worked example for docs/ledger.md. Every expected value below was computed outside Java with
 * the shell commands next to it (GNU coreutils, xxd, OpenSSL 3), and cross-checked with Python's
 * hashlib/hmac; the docs may quote them as they stand.
 *
 * <pre>
 * KEY_HEX=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f   # bytes 0x00..0x1f
 * SALT_HEX=a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf  # bytes 0xa0..0xbf
 * </pre>
 */
class WorkedExampleTest {

  private static final HexFormat HEX = HexFormat.of();

  private static final PseudonymKey KEY =
      PseudonymKey.of(
          HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  private static final Salt SALT =
      Salt.of(HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"));

  /** Version 3 of Observation/obs-1 as the server serves it (no trailing newline). */
  private static final String SERVED =
      "{\"resourceType\":\"Observation\",\"id\":\"obs-1\",\"meta\":{\"versionId\":\"3\","
          + "\"lastUpdated\":\"2023-11-14T22:13:20.000+00:00\"},\"status\":\"final\","
          + "\"code\":{\"text\":\"Body weight\"},\"valueQuantity\":{\"value\":72.50,\"unit\":\"kg\"}}";

  /**
   * RFC 8785 form: members sorted, {@code 72.50} became {@code 72.5}. Computed with Node.js: {@code
   * JSON.parse}, keys sorted, {@code JSON.stringify} (see src/test/resources/jcs/README.md).
   */
  private static final String CANONICAL =
      "{\"code\":{\"text\":\"Body weight\"},\"id\":\"obs-1\",\"meta\":{\"lastUpdated\":"
          + "\"2023-11-14T22:13:20.000+00:00\",\"versionId\":\"3\"},\"resourceType\":\"Observation\","
          + "\"status\":\"final\",\"valueQuantity\":{\"unit\":\"kg\",\"value\":72.5}}";

  // { printf 'chartproof-commitment-v1\n'; printf '%s' "$SALT_HEX" | xxd -r -p;
  //   printf '%s' "$CANONICAL"; } | sha256sum
  private static final String COMMITMENT =
      "b0f8db431d7bafa9d42a444b51b71306ae3b45d6d3e6980ed25ec947d8917ab0";

  // printf 'chartproof-pseudonym-v1\nresource\nObservation/obs-1' \
  //   | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY_HEX
  private static final String RESOURCE_ID =
      "f61ebe66a2003ec2ec3e4762eb3f0a3f700f2a37e866f7ba9613730ece005332";

  // printf 'chartproof-pseudonym-v1\nactor\nPractitioner/pr-7' \
  //   | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY_HEX
  private static final String ACTOR =
      "94c4f7bb4c737f7bd885d9068a03bef00f29421d8729c5b75e96888f127fe29b";

  /** The UPDATE entry: 291 bytes, saved as entry.txt for the leaf hash command below. */
  private static final String ENTRY =
      "chartproof-entry/v1\n"
          + "op UPDATE\n"
          + "type Observation\n"
          + "id f61ebe66a2003ec2ec3e4762eb3f0a3f700f2a37e866f7ba9613730ece005332\n"
          + "version 3\n"
          + "time 1700000000000\n"
          + "actor 94c4f7bb4c737f7bd885d9068a03bef00f29421d8729c5b75e96888f127fe29b\n"
          + "commitment b0f8db431d7bafa9d42a444b51b71306ae3b45d6d3e6980ed25ec947d8917ab0\n";

  // { printf '\0'; cat entry.txt; } | sha256sum
  private static final String LEAF_HASH =
      "e8f10e3de51adbfabc3b927ada97c4002f304e1c68dc8b40b85ab453aec9b3f4";

  /** The deletion of the same resource a minute later, stored as version 4; saved as delete.txt. */
  private static final String DELETE_ENTRY =
      "chartproof-entry/v1\n"
          + "op DELETE\n"
          + "type Observation\n"
          + "id f61ebe66a2003ec2ec3e4762eb3f0a3f700f2a37e866f7ba9613730ece005332\n"
          + "version 4\n"
          + "time 1700000060000\n"
          + "actor 94c4f7bb4c737f7bd885d9068a03bef00f29421d8729c5b75e96888f127fe29b\n"
          + "commitment 0000000000000000000000000000000000000000000000000000000000000000\n";

  // { printf '\0'; cat delete.txt; } | sha256sum
  private static final String DELETE_LEAF_HASH =
      "6dbb5d145d31e3867a117d0d37ff7a7b1d8533e7045fc2746d145661bee64ab0";

  // Root of the two-leaf tree [ENTRY, DELETE_ENTRY], RFC 6962: SHA-256(0x01 || leaf0 || leaf1)
  // { printf '\1'; printf '%s%s' "$LEAF_HASH" "$DELETE_LEAF_HASH" | xxd -r -p; } | sha256sum
  private static final String TWO_LEAF_ROOT =
      "4bec494ebaf62ba8addba3e79ecd03e3e4b7259528ce21ba09869d04f8a52b4c";

  @Test
  void canonicalForm_ofServedResource_isExact() throws Exception {
    assertThat(new String(JsonCanonicalizer.canonicalize(SERVED), UTF_8)).isEqualTo(CANONICAL);
  }

  @Test
  void commitment_isExactAndOpensWithSaltAndCanonicalForm() throws Exception {
    Commitment commitment = Commitment.commitJson(SALT, SERVED);

    assertThat(commitment.toHex()).isEqualTo(COMMITMENT);
    assertThatCode(() -> commitment.verify(SALT, CANONICAL.getBytes(UTF_8)))
        .doesNotThrowAnyException();
  }

  @Test
  void pseudonyms_areExact() {
    assertThat(KEY.resource("Observation", "obs-1").toHex()).isEqualTo(RESOURCE_ID);
    assertThat(KEY.actor("Practitioner/pr-7").toHex()).isEqualTo(ACTOR);
  }

  @Test
  void updateEntry_bytesAndLeafHashAreExact() throws Exception {
    LedgerEntry entry =
        new LedgerEntry(
            Operation.UPDATE,
            "Observation",
            KEY.resource("Observation", "obs-1"),
            3,
            1_700_000_000_000L,
            KEY.actor("Practitioner/pr-7"),
            Commitment.commitJson(SALT, SERVED));

    assertThat(new String(entry.toBytes(), UTF_8)).isEqualTo(ENTRY);
    assertThat(entry.toBytes()).hasSize(291);
    assertThat(HEX.formatHex(entry.leafHash())).isEqualTo(LEAF_HASH);
    assertThat(LedgerEntry.parse(ENTRY.getBytes(UTF_8))).isEqualTo(entry);
  }

  @Test
  void deleteEntry_bytesLeafHashAndTreeRootAreExact() {
    LedgerEntry deletion =
        new LedgerEntry(
            Operation.DELETE,
            "Observation",
            KEY.resource("Observation", "obs-1"),
            4,
            1_700_000_060_000L,
            KEY.actor("Practitioner/pr-7"),
            Commitment.NONE);

    assertThat(new String(deletion.toBytes(), UTF_8)).isEqualTo(DELETE_ENTRY);
    assertThat(HEX.formatHex(deletion.leafHash())).isEqualTo(DELETE_LEAF_HASH);
    byte[] root = MerkleHash.hashChildren(HEX.parseHex(LEAF_HASH), HEX.parseHex(DELETE_LEAF_HASH));
    assertThat(HEX.formatHex(root)).isEqualTo(TWO_LEAF_ROOT);
  }
}
