package org.chartproof.ledger.entry;

import java.util.Optional;

/**
 * What a ledger entry records. Each kind has its own commitment rule; parsing accepts only the
 * constants listed here and denies everything else.
 */
public enum Operation {
  /** A resource was created; the entry commits to the new version's content. */
  CREATE,
  /** A new version of a resource was stored; the entry commits to its content. */
  UPDATE,
  /** A resource was deleted; the entry carries {@link Commitment#NONE}. */
  DELETE,
  /**
   * A patient's record was erased on request (crypto-shredding, docs/erasure.md). The entry names
   * the Patient and carries no content commitment: its commitment line is the {@link
   * ErasureManifest#digest() digest of the manifest} listing the entries whose salts the erasure
   * destroyed, so that exactly those, and only entries logged before it, may be reported as erased
   * rather than altered.
   */
  ERASE,
  /**
   * A batch of access-log records: those of the group commits of one interval (docs/audit.md). The
   * entry names the batch (type {@code AuditEvent}, the batch's pseudonymous id, version 1); its
   * commitment is the RFC 6962 Merkle tree hash over the batch's records, each leaf being the
   * record's content {@link Commitment} (salted, as for a created resource), so that each record is
   * proven by its path inside the batch plus the entry's path in the log.
   */
  ACCESS;

  /**
   * Returns whether entries of this kind commit to content, rather than carry {@link
   * Commitment#NONE}.
   */
  public boolean hasContent() {
    return switch (this) {
      case CREATE, UPDATE -> true;
      case DELETE, ERASE, ACCESS -> false;
    };
  }

  /**
   * Returns whether entries of this kind carry a commitment other than {@link Commitment#NONE}: a
   * content commitment ({@link #hasContent()}), for {@link #ERASE} a manifest digest, for {@link
   * #ACCESS} a batch's Merkle tree hash.
   */
  public boolean hasCommitment() {
    return switch (this) {
      case CREATE, UPDATE, ERASE, ACCESS -> true;
      case DELETE -> false;
    };
  }

  /** Returns the operation spelled exactly {@code token}, or empty for anything unknown. */
  static Optional<Operation> parse(String token) {
    return switch (token) {
      case "CREATE" -> Optional.of(CREATE);
      case "UPDATE" -> Optional.of(UPDATE);
      case "DELETE" -> Optional.of(DELETE);
      case "ERASE" -> Optional.of(ERASE);
      case "ACCESS" -> Optional.of(ACCESS);
      default -> Optional.empty();
    };
  }
}
