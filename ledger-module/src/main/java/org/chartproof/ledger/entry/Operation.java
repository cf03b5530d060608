package org.chartproof.ledger.entry;

import java.util.Optional;

/**
 * What a ledger entry records. Later kinds (an erasure by crypto-shredding, a recorded access
 * decision) will be new constants with their own content rule (#3); parsing accepts only the
 * constants listed here and denies everything else.
 */
public enum Operation {
  /** A resource was created; the entry commits to the new version's content. */
  CREATE,
  /** A new version of a resource was stored; the entry commits to its content. */
  UPDATE,
  /** A resource was deleted; the entry carries {@link Commitment#NONE}. */
  DELETE;

  /**
   * Returns whether entries of this kind commit to content, rather than carry {@link
   * Commitment#NONE}.
   */
  public boolean hasContent() {
    return switch (this) {
      case CREATE, UPDATE -> true;
      case DELETE -> false;
    };
  }

  /** Returns the operation spelled exactly {@code token}, or empty for anything unknown. */
  static Optional<Operation> parse(String token) {
    return switch (token) {
      case "CREATE" -> Optional.of(CREATE);
      case "UPDATE" -> Optional.of(UPDATE);
      case "DELETE" -> Optional.of(DELETE);
      default -> Optional.empty();
    };
  }
}
