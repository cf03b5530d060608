package org.chartproof.ledger.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.chartproof.ledger.merkle.MerkleHash;

/**
 * A transparency-log checkpoint: the note text that commits a log to its Merkle tree head.
 *
 * <pre>
 * &lt;origin&gt;\n
 * &lt;tree size, decimal&gt;\n
 * &lt;base64 root hash&gt;\n
 * [&lt;extension line&gt;\n ...]
 * </pre>
 *
 * <p>The root hash is the RFC 6962 tree head of the first {@code treeSize} leaves, so the size and
 * root of a verified checkpoint are the pair to pass to {@link
 * org.chartproof.ledger.merkle.ProofVerifier}. Equality compares the root hash by value.
 *
 * @param origin unique log identity, non-empty; SHOULD be a schema-less URL such as {@code
 *     chartproof.example/ledger} and match the signing key's name
 * @param treeSize number of leaves, {@code >= 0}
 * @param rootHash the {@link MerkleHash#HASH_SIZE}-byte root hash (copied in and out)
 * @param extensions opaque, non-empty extension lines; not recommended by the spec because monitors
 *     cannot audit them
 * @see <a href="https://c2sp.org/tlog-checkpoint">C2SP tlog-checkpoint</a>
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, List<String> extensions) {

  // "0" for the empty tree, otherwise no leading zeroes.
  private static final Pattern TREE_SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");

  /**
   * @throws IllegalArgumentException if a field breaks the format rules above or a line contains a
   *     newline or another control character
   */
  public Checkpoint {
    requireLine("origin", origin);
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree size must be >= 0, got " + treeSize);
    }
    if (rootHash.length != MerkleHash.HASH_SIZE) {
      throw new IllegalArgumentException("root hash must be 32 bytes, got " + rootHash.length);
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    extensions.forEach(line -> requireLine("extension line", line));
  }

  /** Returns a checkpoint without extension lines. */
  public Checkpoint(String origin, long treeSize, byte[] rootHash) {
    this(origin, treeSize, rootHash, List.of());
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** Returns the note text, UTF-8 encoded, exactly as it is signed. */
  public byte[] toNoteBody() {
    StringBuilder text = new StringBuilder();
    text.append(origin).append('\n');
    text.append(treeSize).append('\n');
    text.append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    extensions.forEach(line -> text.append(line).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses checkpoint note text, typically {@link VerifiedNote#text()}. Strict: exactly one
   * encoding of each checkpoint is accepted, so that parsing and {@link #toNoteBody()} round-trip.
   * Callers must still check that the origin is the log they expect.
   *
   * @throws InvalidNoteException if the text is not a well-formed checkpoint
   */
  public static Checkpoint parse(String text) throws InvalidNoteException {
    if (!text.endsWith("\n")) {
      throw new InvalidNoteException("checkpoint text must end with a newline");
    }
    List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw new InvalidNoteException("checkpoint needs origin, tree size and root hash lines");
    }
    if (!TREE_SIZE.matcher(lines.get(1)).matches()) {
      throw new InvalidNoteException("malformed tree size: " + lines.get(1));
    }
    long treeSize;
    try {
      treeSize = Long.parseLong(lines.get(1));
    } catch (NumberFormatException e) {
      throw new InvalidNoteException("tree size out of range: " + lines.get(1));
    }
    byte[] root =
        NoteText.decodeBase64(lines.get(2))
            .filter(bytes -> bytes.length == MerkleHash.HASH_SIZE)
            .orElseThrow(() -> new InvalidNoteException("malformed root hash: " + lines.get(2)));
    try {
      return new Checkpoint(lines.get(0), treeSize, root, lines.subList(3, lines.size()));
    } catch (IllegalArgumentException e) {
      throw new InvalidNoteException("malformed checkpoint: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint other
        && origin.equals(other.origin)
        && treeSize == other.treeSize
        && MessageDigest.isEqual(rootHash, other.rootHash)
        && extensions.equals(other.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, treeSize, Arrays.hashCode(rootHash), extensions);
  }

  @Override
  public String toString() {
    return "Checkpoint["
        + origin
        + ", "
        + treeSize
        + ", "
        + Base64.getEncoder().encodeToString(rootHash)
        + ", "
        + extensions
        + "]";
  }

  private static void requireLine(String what, String line) {
    Objects.requireNonNull(line, what);
    if (line.isEmpty() || line.indexOf('\n') >= 0 || NoteText.hasForbiddenControl(line)) {
      throw new IllegalArgumentException(what + " must be a non-empty line without controls");
    }
  }
}
