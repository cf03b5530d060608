package org.chartproof.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * Checks a {@code $ledger-proof} answer the way a third party would, written from docs/ledger.md
 * alone: it deliberately imports nothing from Chartproof or HAPI, only the JDK (SHA-256, Ed25519),
 * Jackson to read the Parameters JSON, and an independent RFC 8785 implementation
 * (io.github.erdtman:java-json-canonicalization). If the server's own ledger classes and the
 * documentation disagree, this class fails where {@code LedgerProofContract} passes.
 *
 * <p>{@link #verify} checks that the served JSON is the version the proof names, that its salted
 * commitment is the one in the entry, that the entry's leaf hash and the inclusion proof fold to
 * the checkpoint's root, and that the checkpoint is signed by the log's key. Every failure is a
 * {@link VerificationException} naming the step and, for hashes, the expected and computed values.
 */
public final class ClientSideVerifier {

  static final String CANONICALIZATION = "urn:ietf:rfc:8785";
  static final String COMMITMENT_SCHEME = "chartproof-commitment-v1";

  private static final byte[] COMMITMENT_DOMAIN =
      (COMMITMENT_SCHEME + "\n").getBytes(StandardCharsets.US_ASCII);
  // RFC 6962 §2.1 domain separation.
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  // C2SP signed-note: the signature type byte of Ed25519 keys, and the signature line's prefix.
  private static final byte ED25519_TYPE = 0x01;
  private static final String SIGNATURE_LINE_PREFIX = "\u2014 ";
  // DER SubjectPublicKeyInfo header for a raw Ed25519 key (RFC 8410 §4), so the JDK can load it.
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");
  private static final int HASH_SIZE = 32;
  private static final int SALT_SIZE = 32;
  private static final List<String> ENTRY_LABELS =
      List.of("op", "type", "id", "version", "time", "actor", "commitment");
  private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,18}");
  private static final Pattern NON_NEGATIVE = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientSideVerifier() {}

  /** A proof that does not check out; the message says which step failed and why. */
  static final class VerificationException extends Exception {
    VerificationException(String message) {
      super(message);
    }
  }

  /**
   * Verifies {@code servedJson} (the body of {@code GET [type]/[id]/_history/[vid]}) against the
   * {@code $ledger-proof} answer {@code parametersJson} and the log's verifier key {@code vkey}.
   *
   * @return the proven entry
   * @throws VerificationException if any check fails, or the proof is still pending
   */
  public static Entry verify(String servedJson, String parametersJson, String vkey)
      throws VerificationException {
    Proof proof = Proof.parse(parametersJson);
    Entry entry = verifyInclusion(proof, VerifierKey.parse(vkey));
    requireEqual("served resource", proof.resource(), servedReference(servedJson));
    requireEqual("served meta.versionId", proof.versionId(), servedVersion(servedJson));
    if (entry.op().equals("ACCESS")) {
      verifyBatchMember(entry, proof, servedJson);
    } else {
      verifyCommitment(entry, proof.salt(), servedJson);
    }
    return entry;
  }

  /**
   * A record ledgered in a batch (docs/ledger.md, "Batched records"): its salted commitment is a
   * leaf of the batch tree, and {@code batchProof} folds that leaf to the tree hash the ACCESS
   * entry commits to.
   */
  static void verifyBatchMember(Entry entry, Proof proof, String servedJson)
      throws VerificationException {
    if (proof.salt() == null || proof.salt().length != SALT_SIZE) {
      throw new VerificationException("salt must be " + SALT_SIZE + " bytes");
    }
    if (proof.batchSize() < 1) {
      throw new VerificationException("an ACCESS entry's proof needs batchIndex and batchSize");
    }
    byte[] leaf = leafHash(commitment(proof.salt(), servedJson));
    byte[] root =
        rootFromInclusionProof(proof.batchIndex(), proof.batchSize(), leaf, proof.batchProof());
    requireSameHash("batch tree hash", entry.commitment(), root);
  }

  /**
   * Verifies that {@code proof.entry} is a leaf of the tree whose root a checkpoint signed by
   * {@code key} commits to, and that the entry describes the version the proof names. Needs no
   * resource JSON, so it also serves deletions.
   */
  static Entry verifyInclusion(Proof proof, VerifierKey key) throws VerificationException {
    // "erased": included, but the version's salt was destroyed (docs/erasure.md), so only the
    // entry's place in the log can be proven, never content
    if (!proof.status().equals("included") && !proof.status().equals("erased")) {
      throw new VerificationException("proof status is " + proof.status() + ", not included");
    }
    Entry entry = Entry.parse(proof.entry());
    String resourceType = proof.resource().substring(0, proof.resource().indexOf('/'));
    requireEqual("entry type", resourceType, entry.type());
    requireEqual("entry version", proof.versionId(), Long.toString(entry.version()));
    requireEqual("entry op", proof.operation(), entry.op().toLowerCase(Locale.ROOT));

    Checkpoint checkpoint = Checkpoint.parse(openSignedNote(proof.checkpoint(), key));
    requireEqual("checkpoint origin", key.name(), checkpoint.origin());
    if (checkpoint.size() != proof.treeSize()) {
      throw new VerificationException(
          "treeSize " + proof.treeSize() + " is not the checkpoint's size " + checkpoint.size());
    }
    byte[] root =
        rootFromInclusionProof(
            proof.leafIndex(), proof.treeSize(), leafHash(proof.entry()), proof.inclusionProof());
    requireSameHash("root from the inclusion proof", checkpoint.root(), root);
    return entry;
  }

  /** Recomputes the salted commitment to {@code servedJson} and compares it with the entry's. */
  static void verifyCommitment(Entry entry, byte[] salt, String servedJson)
      throws VerificationException {
    if (salt == null || salt.length != SALT_SIZE) {
      throw new VerificationException("salt must be " + SALT_SIZE + " bytes");
    }
    requireSameHash("commitment", entry.commitment(), commitment(salt, servedJson));
  }

  /** {@code SHA-256("chartproof-commitment-v1\n" || salt || JCS(json))}. */
  static byte[] commitment(byte[] salt, String json) throws VerificationException {
    byte[] canonical;
    try {
      canonical = new JsonCanonicalizer(json).getEncodedUTF8();
    } catch (IOException | RuntimeException e) {
      throw new VerificationException("served JSON cannot be canonicalized: " + e.getMessage());
    }
    MessageDigest sha256 = sha256();
    sha256.update(COMMITMENT_DOMAIN);
    sha256.update(salt);
    return sha256.digest(canonical);
  }

  /** RFC 6962 §2.1 leaf hash: {@code SHA-256(0x00 || entry)}. */
  static byte[] leafHash(byte[] entry) {
    MessageDigest sha256 = sha256();
    sha256.update(LEAF_PREFIX);
    return sha256.digest(entry);
  }

  /** RFC 6962 §2.1 interior node: {@code SHA-256(0x01 || left || right)}. */
  static byte[] hashChildren(byte[] left, byte[] right) {
    MessageDigest sha256 = sha256();
    sha256.update(NODE_PREFIX);
    sha256.update(left);
    return sha256.digest(right);
  }

  /**
   * The root that an inclusion proof for {@code leafHash} at {@code index} in a tree of {@code
   * size} leaves implies: the algorithm of RFC 9162 §2.1.3.2, with its failure cases.
   *
   * @see <a href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.2">RFC 9162 §2.1.3.2</a>
   */
  static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
      throws VerificationException {
    if (index < 0 || index >= size) {
      throw new VerificationException("leaf index " + index + " is outside a tree of " + size);
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (p.length != HASH_SIZE) {
        throw new VerificationException("inclusion proof hash is not " + HASH_SIZE + " bytes");
      }
      if (sn == 0) {
        throw new VerificationException(
            "inclusion proof is longer than a path to leaf " + index + " of " + size);
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hashChildren(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = hashChildren(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new VerificationException(
          "inclusion proof is shorter than a path to leaf " + index + " of " + size);
    }
    return r;
  }

  /**
   * Opens a C2SP signed note: returns its text (up to and including the newline before the blank
   * line) if a signature line by {@code key} verifies. Lines by other keys are ignored, as the spec
   * requires; a line by {@code key} that does not verify rejects the note.
   */
  static String openSignedNote(String note, VerifierKey key) throws VerificationException {
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n") || split + 2 == note.length()) {
      throw new VerificationException("checkpoint is not a signed note (no signature block)");
    }
    String text = note.substring(0, split + 1);
    boolean signedByKey = false;
    for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
      if (!line.startsWith(SIGNATURE_LINE_PREFIX)) {
        throw new VerificationException("malformed signature line: " + line);
      }
      String[] nameAndSignature = line.substring(SIGNATURE_LINE_PREFIX.length()).split(" ", -1);
      if (nameAndSignature.length != 2) {
        throw new VerificationException("malformed signature line: " + line);
      }
      byte[] blob = base64("signature", nameAndSignature[1]);
      if (!nameAndSignature[0].equals(key.name())
          || blob.length < 4
          || !MessageDigest.isEqual(Arrays.copyOf(blob, 4), key.keyId())) {
        continue;
      }
      if (!ed25519Verifies(key.publicKey(), text, Arrays.copyOfRange(blob, 4, blob.length))) {
        throw new VerificationException("checkpoint signature by " + key.name() + " is invalid");
      }
      signedByKey = true;
    }
    if (!signedByKey) {
      throw new VerificationException(
          "checkpoint has no signature by "
              + key.name()
              + "+"
              + HexFormat.of().formatHex(key.keyId()));
    }
    return text;
  }

  private static boolean ed25519Verifies(byte[] rawPublicKey, String text, byte[] signature)
      throws VerificationException {
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + rawPublicKey.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(rawPublicKey, 0, spki, ED25519_SPKI_PREFIX.length, rawPublicKey.length);
    try {
      PublicKey publicKey =
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey);
      verifier.update(text.getBytes(StandardCharsets.UTF_8));
      return verifier.verify(signature);
    } catch (java.security.SignatureException e) {
      return false; // a malformed signature (wrong length, S out of range) verifies nothing
    } catch (GeneralSecurityException e) {
      throw new VerificationException("cannot load the Ed25519 key: " + e.getMessage());
    }
  }

  /** The fields of a {@code $ledger-proof} Parameters answer, by the names docs/ledger.md gives. */
  record Proof(
      String status,
      String resource,
      String versionId,
      String operation,
      byte[] entry,
      byte[] salt,
      long leafIndex,
      long treeSize,
      List<byte[]> inclusionProof,
      String checkpoint,
      long batchIndex,
      long batchSize,
      List<byte[]> batchProof) {

    /** Reads a Parameters resource; refuses an unknown canonicalization or commitment scheme. */
    static Proof parse(String parametersJson) throws VerificationException {
      JsonNode root;
      try {
        root = JSON.readTree(parametersJson);
      } catch (IOException e) {
        throw new VerificationException("answer is not JSON: " + e.getMessage());
      }
      if (!root.path("resourceType").asText().equals("Parameters")) {
        throw new VerificationException("answer is not a Parameters resource");
      }
      JsonNode parameters = root.path("parameter");
      requireEqual(
          "canonicalization", CANONICALIZATION, text(parameters, "canonicalization", "valueUri"));
      requireEqual(
          "commitmentScheme",
          COMMITMENT_SCHEME,
          text(parameters, "commitmentScheme", "valueString"));
      String status = text(parameters, "status", "valueCode");
      boolean included = status.equals("included") || status.equals("erased");
      List<byte[]> path = hashes(parameters, "inclusionProof");
      boolean batched = false;
      for (JsonNode p : parameters) {
        batched |= p.path("name").asText().equals("batchSize");
      }
      String salt = optionalText(parameters, "salt", "valueBase64Binary");
      return new Proof(
          status,
          reference(parameters),
          text(parameters, "versionId", "valueString"),
          text(parameters, "operation", "valueCode"),
          base64("entry", text(parameters, "entry", "valueBase64Binary")),
          salt == null ? null : base64("salt", salt),
          included ? integer(parameters, "leafIndex") : -1,
          included ? integer(parameters, "treeSize") : -1,
          List.copyOf(path),
          included ? text(parameters, "checkpoint", "valueString") : null,
          batched ? integer(parameters, "batchIndex") : -1,
          batched ? integer(parameters, "batchSize") : -1,
          hashes(parameters, "batchProof"));
    }

    private static List<byte[]> hashes(JsonNode parameters, String name)
        throws VerificationException {
      List<byte[]> hashes = new ArrayList<>();
      for (JsonNode p : parameters) {
        if (p.path("name").asText().equals(name)) {
          hashes.add(base64(name, p.path("valueBase64Binary").asText()));
        }
      }
      return List.copyOf(hashes);
    }

    private static String reference(JsonNode parameters) throws VerificationException {
      String reference = value(parameters, "resource", "valueReference").path("reference").asText();
      if (!reference.matches("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")) {
        throw new VerificationException("resource is not a relative reference: " + reference);
      }
      return reference;
    }

    private static JsonNode value(JsonNode parameters, String name, String valueField)
        throws VerificationException {
      JsonNode found = null;
      for (JsonNode p : parameters) {
        if (p.path("name").asText().equals(name)) {
          if (found != null) {
            throw new VerificationException("parameter " + name + " appears twice");
          }
          found = p.path(valueField);
          if (found.isMissingNode()) {
            throw new VerificationException("parameter " + name + " has no " + valueField);
          }
        }
      }
      if (found == null) {
        throw new VerificationException("answer has no parameter " + name);
      }
      return found;
    }

    private static String text(JsonNode parameters, String name, String valueField)
        throws VerificationException {
      JsonNode value = value(parameters, name, valueField);
      if (!value.isTextual()) {
        throw new VerificationException("parameter " + name + " is not a string");
      }
      return value.asText();
    }

    private static String optionalText(JsonNode parameters, String name, String valueField)
        throws VerificationException {
      for (JsonNode p : parameters) {
        if (p.path("name").asText().equals(name)) {
          return text(parameters, name, valueField);
        }
      }
      return null;
    }

    private static long integer(JsonNode parameters, String name) throws VerificationException {
      JsonNode value = value(parameters, name, "valueInteger");
      if (!value.isIntegralNumber() || value.asLong() < 0) {
        throw new VerificationException("parameter " + name + " is not a non-negative integer");
      }
      return value.asLong();
    }
  }

  /**
   * A ledger entry: eight US-ASCII lines, each ending in {@code \n}, in the fixed order of
   * docs/ledger.md ("Entry"). Only those exact bytes parse.
   */
  record Entry(
      String op, String type, String id, long version, long time, String actor, byte[] commitment) {

    static final String HEADER = "chartproof-entry/v1";

    static Entry parse(byte[] bytes) throws VerificationException {
      for (byte b : bytes) {
        if ((b < 0x20 || b > 0x7e) && b != '\n') {
          throw new VerificationException("entry is not printable US-ASCII lines");
        }
      }
      String text = new String(bytes, StandardCharsets.US_ASCII);
      String[] lines = text.split("\n", -1);
      if (lines.length != ENTRY_LABELS.size() + 2 || !lines[lines.length - 1].isEmpty()) {
        throw new VerificationException("entry must be 8 lines each ending in a newline");
      }
      requireEqual("entry header", HEADER, lines[0]);
      String[] values = new String[ENTRY_LABELS.size()];
      for (int i = 0; i < values.length; i++) {
        String prefix = ENTRY_LABELS.get(i) + " ";
        if (!lines[i + 1].startsWith(prefix)) {
          throw new VerificationException("entry line " + (i + 2) + " must start with " + prefix);
        }
        values[i] = lines[i + 1].substring(prefix.length());
      }
      if (!values[0].matches("CREATE|UPDATE|DELETE|ERASE|ACCESS")) {
        throw new VerificationException(
            "entry op is not CREATE, UPDATE, DELETE, ERASE or ACCESS: " + values[0]);
      }
      if (!values[1].matches("[A-Z][A-Za-z]+")) {
        throw new VerificationException("entry type is not a resource type: " + values[1]);
      }
      return new Entry(
          values[0],
          values[1],
          hex32("id", values[2]),
          number("version", POSITIVE, values[3]),
          number("time", NON_NEGATIVE, values[4]),
          hex32("actor", values[5]),
          HexFormat.of().parseHex(hex32("commitment", values[6])));
    }

    private static String hex32(String label, String value) throws VerificationException {
      if (!HEX_32.matcher(value).matches()) {
        throw new VerificationException("entry " + label + " is not 64 lowercase hex digits");
      }
      return value;
    }

    private static long number(String label, Pattern form, String value)
        throws VerificationException {
      if (!form.matcher(value).matches()) {
        throw new VerificationException("entry " + label + " is not a plain decimal: " + value);
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new VerificationException("entry " + label + " is out of range: " + value);
      }
    }
  }

  /**
   * A C2SP tlog-checkpoint body: origin, tree size, base64 root hash, then extension lines.
   *
   * @see <a href="https://c2sp.org/tlog-checkpoint">C2SP tlog-checkpoint</a>
   */
  record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {

    static Checkpoint parse(String text) throws VerificationException {
      String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
      if (lines.length < 3 || lines[0].isEmpty()) {
        throw new VerificationException("checkpoint needs origin, size and root lines");
      }
      if (!NON_NEGATIVE.matcher(lines[1]).matches()) {
        throw new VerificationException("checkpoint size is not a plain decimal: " + lines[1]);
      }
      byte[] root = base64("checkpoint root", lines[2]);
      if (root.length != HASH_SIZE) {
        throw new VerificationException("checkpoint root is not " + HASH_SIZE + " bytes");
      }
      List<String> extensions = List.of(lines).subList(3, lines.length);
      if (extensions.contains("")) {
        throw new VerificationException("checkpoint has an empty extension line");
      }
      return new Checkpoint(lines[0], Long.parseLong(lines[1]), root, extensions);
    }
  }

  /**
   * A C2SP verifier key, {@code <name>+<hex key id>+<base64(0x01 || 32-byte Ed25519 key)>}, whose
   * key id must be the first 4 bytes of {@code SHA-256(name || 0x0A || 0x01 || key)}.
   *
   * @see <a href="https://c2sp.org/signed-note#verifier-keys">C2SP signed-note</a>
   */
  record VerifierKey(String name, byte[] keyId, byte[] publicKey) {

    static VerifierKey parse(String vkey) throws VerificationException {
      String[] parts = vkey.strip().split("\\+", 3);
      if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
        throw new VerificationException("vkey is not <name>+<8 hex>+<base64>");
      }
      byte[] typeAndKey = base64("vkey", parts[2]);
      if (typeAndKey.length != 33 || typeAndKey[0] != ED25519_TYPE) {
        throw new VerificationException("vkey is not an Ed25519 (type 0x01) key");
      }
      byte[] keyId = keyId(parts[0], typeAndKey);
      if (!MessageDigest.isEqual(keyId, HexFormat.of().parseHex(parts[1]))) {
        throw new VerificationException("vkey key id does not match its name and key");
      }
      return new VerifierKey(parts[0], keyId, Arrays.copyOfRange(typeAndKey, 1, 33));
    }

    /** The vkey for a raw Ed25519 public key, with the recommended key id. */
    static String encode(String name, byte[] publicKey) {
      byte[] typeAndKey = new byte[33];
      typeAndKey[0] = ED25519_TYPE;
      System.arraycopy(publicKey, 0, typeAndKey, 1, 32);
      return name
          + "+"
          + HexFormat.of().formatHex(keyId(name, typeAndKey))
          + "+"
          + Base64.getEncoder().encodeToString(typeAndKey);
    }

    private static byte[] keyId(String name, byte[] typeAndKey) {
      MessageDigest sha256 = sha256();
      sha256.update(name.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) '\n');
      return Arrays.copyOf(sha256.digest(typeAndKey), 4);
    }
  }

  private static String servedReference(String servedJson) throws VerificationException {
    JsonNode resource = readJson(servedJson);
    return resource.path("resourceType").asText() + "/" + resource.path("id").asText();
  }

  private static String servedVersion(String servedJson) throws VerificationException {
    return readJson(servedJson).path("meta").path("versionId").asText();
  }

  private static JsonNode readJson(String json) throws VerificationException {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new VerificationException("served resource is not JSON: " + e.getMessage());
    }
  }

  private static byte[] base64(String what, String value) throws VerificationException {
    try {
      byte[] bytes = Base64.getDecoder().decode(value);
      // Only the canonical spelling: a value has exactly one accepted encoding.
      if (Base64.getEncoder().encodeToString(bytes).equals(value)) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new VerificationException(what + " is not canonical base64");
  }

  private static void requireEqual(String what, String expected, String actual)
      throws VerificationException {
    if (!expected.equals(actual)) {
      throw new VerificationException(what + ": expected " + expected + ", got " + actual);
    }
  }

  private static void requireSameHash(String what, byte[] expected, byte[] computed)
      throws VerificationException {
    if (!MessageDigest.isEqual(expected, computed)) {
      HexFormat hex = HexFormat.of();
      throw new VerificationException(
          what
              + " mismatch: expected "
              + hex.formatHex(expected)
              + ", computed "
              + hex.formatHex(computed));
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
