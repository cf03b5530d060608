package org.chartproof.ledger.merkle;

import static org.chartproof.ledger.merkle.MerkleHash.hashChildren;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies inclusion and consistency proofs with the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2.
 * Verification either returns normally or throws; there is no boolean to ignore.
 *
 * <p>Every proof's length is fixed by its tree sizes, so a proof of any other length is rejected up
 * front with {@link InvalidProofException} and every hash in an accepted proof has gone into the
 * computed roots. Values that enter a hash computation (leaf hash, proof hashes, and the old root
 * that seeds a consistency check) must be {@link MerkleHash#HASH_SIZE} bytes; roots that are only
 * compared may have any length and then simply fail to match. All comparisons use {@link
 * MessageDigest#isEqual}.
 *
 * <p>A root hash does not commit to its tree size: a proof for one size can verify against the same
 * root under a neighbouring size whose path has the same shape. Callers must therefore take each
 * tree size from the same signed checkpoint as its root, never from the party supplying the proof.
 */
public final class ProofVerifier {

  private ProofVerifier() {}

  /**
   * Verifies that {@code leafHash} is the leaf at {@code leafIndex} of the tree of {@code treeSize}
   * leaves whose root is {@code root}.
   *
   * @throws InvalidProofException unless {@code 0 <= leafIndex < treeSize}, or if the proof has the
   *     wrong length or a hash of the wrong length
   * @throws ProofMismatchException if the proof leads to a different root
   * @see <a href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.2">RFC 9162 §2.1.3.2</a>
   */
  public static void verifyInclusion(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofVerificationException {
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(root, "root");
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new InvalidProofException(
          "need 0 <= leafIndex < treeSize, got leafIndex=" + leafIndex + ", treeSize=" + treeSize);
    }
    requireHash("leaf hash", leafHash);
    requireLength(proof, TreeMath.inclusionPathLength(0, leafIndex, treeSize));

    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new InvalidProofException("inclusion proof is longer than the path to the root");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hashChildren(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = hashChildren(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new InvalidProofException("inclusion proof is shorter than the path to the root");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new ProofMismatchException("inclusion proof", root, r);
    }
  }

  /**
   * Verifies that the tree of {@code size2} leaves with root {@code root2} extends the tree of
   * {@code size1} leaves with root {@code root1}.
   *
   * <p>Equal sizes need an empty proof and equal roots. {@code size1 == 0} is always rejected, even
   * for {@code size2 == 0}: RFC 9162 defines consistency proofs for {@code 0 < size1}, every tree
   * trivially extends the empty one, and accepting such a "proof" would only mask caller bugs.
   *
   * @throws InvalidProofException unless {@code 0 < size1 <= size2}, or if the proof has the wrong
   *     length or a hash of the wrong length, or {@code root1} is not a hash when it must be hashed
   * @throws ProofMismatchException if the proof does not lead to {@code root1} and {@code root2}
   * @see <a href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1.4.2">RFC 9162 §2.1.4.2</a>
   */
  public static void verifyConsistency(
      long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
      throws ProofVerificationException {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(root1, "root1");
    Objects.requireNonNull(root2, "root2");
    if (size1 <= 0 || size1 > size2) {
      throw new InvalidProofException(
          "need 0 < size1 <= size2, got size1=" + size1 + ", size2=" + size2);
    }
    if (size1 == size2) {
      requireLength(proof, 0);
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new ProofMismatchException("consistency proof between equal sizes", root2, root1);
      }
      return;
    }
    requireLength(proof, TreeMath.consistencyProofLength(size1, size2));

    List<byte[]> path = proof;
    if (Long.bitCount(size1) == 1) {
      // The subtree the proof starts from is the whole old tree; the verifier already trusts it.
      requireHash("first root", root1);
      path = new ArrayList<>(proof.size() + 1);
      path.add(root1);
      path.addAll(proof);
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new InvalidProofException("consistency proof is longer than the path to the root");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = hashChildren(c, fr);
        sr = hashChildren(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = hashChildren(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new InvalidProofException("consistency proof is shorter than the path to the root");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new ProofMismatchException("consistency proof (first tree)", root1, fr);
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new ProofMismatchException("consistency proof (second tree)", root2, sr);
    }
  }

  private static void requireLength(List<byte[]> proof, int expected) throws InvalidProofException {
    if (proof.size() != expected) {
      throw new InvalidProofException(
          "proof has " + proof.size() + " hashes, the tree sizes require " + expected);
    }
    for (int i = 0; i < proof.size(); i++) {
      requireHash("proof hash " + i, proof.get(i));
    }
  }

  private static void requireHash(String what, byte[] hash) throws InvalidProofException {
    if (hash == null || hash.length != MerkleHash.HASH_SIZE) {
      throw new InvalidProofException(
          what + " must be 32 bytes, got " + (hash == null ? "null" : hash.length));
    }
  }
}
