package org.chartproof.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The recursive definitions of RFC 6962 §2.1.1 (PATH) and §2.1.2 (PROOF/SUBPROOF), transcribed
 * literally over all leaf hashes, as an oracle for the node-reading builders.
 */
final class Rfc6962Reference {

  private Rfc6962Reference() {}

  static List<byte[]> path(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> result = new ArrayList<>();
    if (n == 1) {
      return result;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m < k) {
      result.addAll(path(m, d.subList(0, k)));
      result.add(MerkleTree.rootOf(d.subList(k, n)));
    } else {
      result.addAll(path(m - k, d.subList(k, n)));
      result.add(MerkleTree.rootOf(d.subList(0, k)));
    }
    return result;
  }

  static List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> result = new ArrayList<>();
    if (m == n) {
      if (!b) {
        result.add(MerkleTree.rootOf(d));
      }
      return result;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m <= k) {
      result.addAll(subproof(m, d.subList(0, k), b));
      result.add(MerkleTree.rootOf(d.subList(k, n)));
    } else {
      result.addAll(subproof(m - k, d.subList(k, n), false));
      result.add(MerkleTree.rootOf(d.subList(0, k)));
    }
    return result;
  }
}
