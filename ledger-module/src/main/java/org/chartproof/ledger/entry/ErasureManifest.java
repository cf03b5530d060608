package org.chartproof.ledger.entry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The entries an erasure destroyed the salts of, bound into the ledger by its {@link
 * Operation#ERASE} entry, whose commitment line is this manifest's {@link #digest()}:
 *
 * <pre>
 * manifest = the RFC 6962 leaf hashes of those entries, as 64 lowercase hex digits each followed
 *            by "\n", sorted ascending, no duplicates (empty if there were none)
 * digest   = SHA-256("chartproof-erasure-v1\n" || manifest)
 * </pre>
 *
 * By hand: {@code { printf 'chartproof-erasure-v1\n'; LC_ALL=C sort -u leaf-hashes.txt; } |
 * sha256sum}. A verifier excuses a version whose salt is gone only if its entry's leaf hash is in a
 * manifest whose digest an ERASE entry logged after it carries; an operator cannot widen a manifest
 * afterwards without changing that entry, which the Merkle tree and the checkpoints forbid.
 */
public final class ErasureManifest {

  /** Domain-separation prefix of the digest input, ASCII. */
  public static final String DOMAIN = "chartproof-erasure-v1\n";

  private final SortedSet<String> leafHashes;

  private ErasureManifest(SortedSet<String> leafHashes) {
    this.leafHashes = leafHashes;
  }

  /**
   * Returns the manifest of these leaf hashes, in any order.
   *
   * @throws IllegalArgumentException if a hash is not 32 bytes or appears twice
   */
  public static ErasureManifest of(Collection<byte[]> leafHashes) {
    SortedSet<String> hex = new TreeSet<>();
    for (byte[] hash : leafHashes) {
      if (hash.length != Commitment.SIZE) {
        throw new IllegalArgumentException("a leaf hash must be 32 bytes, got " + hash.length);
      }
      if (!hex.add(HexFormat.of().formatHex(hash))) {
        throw new IllegalArgumentException("a leaf hash appears twice in the manifest");
      }
    }
    return new ErasureManifest(hex);
  }

  /** Whether the entry with this leaf hash is listed. */
  public boolean contains(byte[] leafHash) {
    return leafHashes.contains(HexFormat.of().formatHex(leafHash));
  }

  /** How many entries are listed. */
  public int size() {
    return leafHashes.size();
  }

  /** The listed leaf hashes, lowercase hex, ascending. */
  public List<String> leafHashesHex() {
    return List.copyOf(leafHashes);
  }

  /** The manifest text defined above (without the domain prefix). */
  public byte[] toBytes() {
    StringBuilder text = new StringBuilder();
    leafHashes.forEach(h -> text.append(h).append('\n'));
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The digest an {@link Operation#ERASE} entry carries as its commitment. */
  public Commitment digest() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
      sha256.update(toBytes());
      return new Commitment(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
