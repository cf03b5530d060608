package org.chartproof.ledger.entry;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.chartproof.ledger.merkle.MerkleHash;

/**
 * One ledger entry: a FHIR write, recorded without personal data or raw ids. Its {@link #toBytes()
 * encoding} is the RFC 6962 leaf data, so the Merkle leaf hash is {@code SHA-256(0x00 ||
 * toBytes())}.
 *
 * <p>The encoding is US-ASCII text, eight lines in this fixed order, each ending in {@code \n}
 * (0x0A), one space between label and value, nothing before or after:
 *
 * <pre>
 * chartproof-entry/v1
 * op UPDATE
 * type Observation
 * id &lt;resource pseudonym, 64 lowercase hex digits&gt;
 * version 3
 * time 1700000000000
 * actor &lt;actor pseudonym, 64 lowercase hex digits&gt;
 * commitment &lt;commitment, 64 lowercase hex digits&gt;
 * </pre>
 *
 * Numbers are decimal without sign or leading zeroes. Text was chosen over a binary layout because
 * a third party can read it, write it with {@code printf} and hash it with {@code { printf '\0';
 * cat entry.txt; } | sha256sum}; the hex values are the ones {@code sha256sum} and {@code openssl
 * dgst -hmac} print. {@link #parse} accepts exactly the bytes {@link #toBytes()} produces, so every
 * entry has one encoding and one leaf hash.
 *
 * @param operation what happened; decides whether there is content to commit to
 * @param resourceType the FHIR resource type, {@code [A-Z][A-Za-z]{1,63}}
 * @param resourceId the {@link PseudonymKey#resource resource pseudonym}
 * @param version the FHIR version id (for a deletion, the version the deletion is stored as),
 *     {@code >= 1}
 * @param timeMillis when the write happened, milliseconds since the epoch, {@code >= 0}
 * @param actor the {@link PseudonymKey#actor actor pseudonym}
 * @param commitment the content {@link Commitment} for {@link Operation#hasContent() operations
 *     with content}, the {@link ErasureManifest#digest() manifest digest} for {@link
 *     Operation#ERASE} (whose type is always {@code Patient}), the batch's tree hash for {@link
 *     Operation#ACCESS} (whose type is always {@code AuditEvent}), otherwise {@link
 *     Commitment#NONE}
 */
public record LedgerEntry(
    Operation operation,
    String resourceType,
    Pseudonym resourceId,
    long version,
    long timeMillis,
    Pseudonym actor,
    Commitment commitment) {

  /** First line of every entry; names the format and its version. */
  public static final String HEADER = "chartproof-entry/v1";

  /** The type an {@link Operation#ERASE} entry names: erasure is per patient compartment. */
  public static final String ERASED_TYPE = "Patient";

  /** The type an {@link Operation#ACCESS} entry names: the access log's records are AuditEvents. */
  public static final String ACCESS_TYPE = "AuditEvent";

  private static final List<String> LABELS =
      List.of("op", "type", "id", "version", "time", "actor", "commitment");
  private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,18}");
  private static final Pattern NON_NEGATIVE = Pattern.compile("0|[1-9][0-9]{0,18}");

  /**
   * @throws IllegalArgumentException if a field breaks the rules above, including a content
   *     operation with {@link Commitment#NONE} or a deletion with any other commitment
   * @throws NullPointerException if a field is null
   */
  public LedgerEntry {
    Objects.requireNonNull(operation, "operation");
    FhirNames.requireResourceType(resourceType);
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(commitment, "commitment");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
    if (timeMillis < 0) {
      throw new IllegalArgumentException("time must be >= 0, got " + timeMillis);
    }
    if (operation.hasCommitment() == commitment.isNone()) {
      throw new IllegalArgumentException(
          operation + (operation.hasCommitment() ? " needs a commitment" : " carries NONE"));
    }
    if (operation == Operation.ERASE && !resourceType.equals(ERASED_TYPE)) {
      throw new IllegalArgumentException("ERASE names a " + ERASED_TYPE);
    }
    if (operation == Operation.ACCESS && !resourceType.equals(ACCESS_TYPE)) {
      throw new IllegalArgumentException("ACCESS names an " + ACCESS_TYPE);
    }
  }

  /** Returns the canonical encoding described above, the Merkle leaf data of this entry. */
  public byte[] toBytes() {
    HexFormat hex = HexFormat.of();
    List<String> values =
        List.of(
            operation.name(),
            resourceType,
            resourceId.toHex(),
            Long.toString(version),
            Long.toString(timeMillis),
            actor.toHex(),
            hex.formatHex(commitment.hash()));
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (int i = 0; i < LABELS.size(); i++) {
      text.append(LABELS.get(i)).append(' ').append(values.get(i)).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns the RFC 6962 leaf hash of this entry, {@code SHA-256(0x00 || toBytes())}. */
  public byte[] leafHash() {
    return MerkleHash.leafHash(toBytes());
  }

  /**
   * Parses an encoded entry. Strict: only the exact bytes {@link #toBytes()} would produce are
   * accepted, so parsing and encoding round-trip.
   *
   * @throws InvalidEntryException if {@code bytes} are not such an encoding, including an unknown
   *     format version or operation, or trailing bytes
   */
  public static LedgerEntry parse(byte[] bytes) throws InvalidEntryException {
    for (byte b : bytes) {
      if ((b < 0x20 || b > 0x7e) && b != '\n') {
        throw new InvalidEntryException("entry must be printable ASCII lines");
      }
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (!text.endsWith("\n")) {
      throw new InvalidEntryException("entry must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new InvalidEntryException("unknown entry format, expected " + HEADER);
    }
    if (lines.length != 1 + LABELS.size()) {
      throw new InvalidEntryException("entry must have " + (1 + LABELS.size()) + " lines");
    }
    String[] values = new String[LABELS.size()];
    for (int i = 0; i < LABELS.size(); i++) {
      String prefix = LABELS.get(i) + " ";
      if (!lines[i + 1].startsWith(prefix)) {
        throw new InvalidEntryException("line " + (i + 2) + " must start with '" + prefix + "'");
      }
      values[i] = lines[i + 1].substring(prefix.length());
    }
    Operation operation =
        Operation.parse(values[0])
            .orElseThrow(() -> new InvalidEntryException("unknown operation: " + values[0]));
    try {
      return new LedgerEntry(
          operation,
          values[1],
          new Pseudonym(hex32("id", values[2])),
          number("version", POSITIVE, values[3]),
          number("time", NON_NEGATIVE, values[4]),
          new Pseudonym(hex32("actor", values[5])),
          new Commitment(hex32("commitment", values[6])));
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException("malformed entry: " + e.getMessage());
    }
  }

  private static byte[] hex32(String label, String value) throws InvalidEntryException {
    if (!HEX_32.matcher(value).matches()) {
      throw new InvalidEntryException(label + " must be 64 lowercase hex digits");
    }
    return HexFormat.of().parseHex(value);
  }

  private static long number(String label, Pattern form, String value)
      throws InvalidEntryException {
    if (!form.matcher(value).matches()) {
      throw new InvalidEntryException(label + " must be a decimal number without leading zeroes");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidEntryException(label + " out of range");
    }
  }
}
