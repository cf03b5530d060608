package org.chartproof.ledger.note;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.chartproof.ledger.merkle.MerkleHash;

/**
 * The three extension lines that chain Chartproof checkpoints into a hash-linked sequence
 * (docs/ledger.md):
 *
 * <pre>
 * height &lt;n&gt;
 * time &lt;epoch milliseconds&gt;
 * prev &lt;base64 SHA-256 of the previous checkpoint's whole signed note, or "-" at height 0&gt;
 * </pre>
 *
 * @param height the checkpoint's position in the chain, 0 for the genesis checkpoint
 * @param timeMillis when the sequencer signed it, milliseconds since the epoch
 * @param previousNoteHash SHA-256 of the previous signed note; empty exactly at height 0
 */
public record ChainLink(long height, long timeMillis, Optional<byte[]> previousNoteHash) {

  private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,18}");

  /**
   * @throws IllegalArgumentException if a number is negative, or the previous hash is present at
   *     height 0, absent above it, or not 32 bytes
   */
  public ChainLink {
    if (height < 0 || timeMillis < 0) {
      throw new IllegalArgumentException("height and time must be >= 0");
    }
    previousNoteHash = previousNoteHash.map(byte[]::clone);
    if (previousNoteHash.isPresent() != (height > 0)) {
      throw new IllegalArgumentException("exactly the checkpoints above height 0 have a prev hash");
    }
    if (previousNoteHash.isPresent() && previousNoteHash.get().length != MerkleHash.HASH_SIZE) {
      throw new IllegalArgumentException("prev hash must be 32 bytes");
    }
  }

  /** The genesis link: height 0, nothing before it. */
  public static ChainLink genesis(long timeMillis) {
    return new ChainLink(0, timeMillis, Optional.empty());
  }

  /** The link of the checkpoint that follows {@code previousNote} at {@code height}. */
  public static ChainLink after(long height, long timeMillis, byte[] previousNote) {
    return new ChainLink(height, timeMillis, Optional.of(noteHash(previousNote)));
  }

  /**
   * SHA-256 of a whole signed note (text, blank line and signature lines), as {@code prev} uses.
   */
  public static byte[] noteHash(byte[] signedNote) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(signedNote);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The extension lines, in order, for {@link Checkpoint#extensions()}. */
  public List<String> toExtensions() {
    String prev = previousNoteHash.map(h -> Base64.getEncoder().encodeToString(h)).orElse("-");
    return List.of("height " + height, "time " + timeMillis, "prev " + prev);
  }

  /**
   * Reads the link from a checkpoint's extension lines. Strict: exactly the three lines in order.
   *
   * @throws InvalidNoteException if the checkpoint is not a Chartproof chain checkpoint
   */
  public static ChainLink of(Checkpoint checkpoint) throws InvalidNoteException {
    List<String> lines = checkpoint.extensions();
    if (lines.size() != 3) {
      throw new InvalidNoteException("checkpoint needs exactly the height, time and prev lines");
    }
    long height = number(lines.get(0), "height ");
    long time = number(lines.get(1), "time ");
    String prev = value(lines.get(2), "prev ");
    Optional<byte[]> previous =
        prev.equals("-")
            ? Optional.empty()
            : Optional.of(
                NoteText.decodeBase64(prev)
                    .orElseThrow(() -> new InvalidNoteException("malformed prev hash: " + prev)));
    try {
      return new ChainLink(height, time, previous);
    } catch (IllegalArgumentException e) {
      throw new InvalidNoteException("malformed chain link: " + e.getMessage());
    }
  }

  /** Whether this link names {@code previousNote} as its predecessor. */
  public boolean follows(byte[] previousNote) {
    return previousNoteHash.isPresent()
        && MessageDigest.isEqual(previousNoteHash.get(), noteHash(previousNote));
  }

  @Override
  public Optional<byte[]> previousNoteHash() {
    return previousNoteHash.map(byte[]::clone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChainLink other
        && height == other.height
        && timeMillis == other.timeMillis
        && toExtensions().equals(other.toExtensions());
  }

  @Override
  public int hashCode() {
    return toExtensions().hashCode();
  }

  private static long number(String line, String prefix) throws InvalidNoteException {
    String value = value(line, prefix);
    if (!NUMBER.matcher(value).matches()) {
      throw new InvalidNoteException("malformed number in: " + line);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidNoteException("number out of range in: " + line);
    }
  }

  private static String value(String line, String prefix) throws InvalidNoteException {
    if (!line.startsWith(prefix)) {
      throw new InvalidNoteException("expected a line starting with '" + prefix + "'");
    }
    return line.substring(prefix.length());
  }
}
