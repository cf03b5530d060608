package org.chartproof.ledger.merkle;

import java.util.Objects;

/**
 * A complete node and its hash, as produced by {@link CompactRange#append} for the store to persist
 * under {@link #id()}.
 *
 * <p>Being a record holding an array, equality is by array identity; compare hashes with {@link
 * java.security.MessageDigest#isEqual}.
 */
public record TreeNode(NodeId id, byte[] hash) {

  public TreeNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
  }
}
