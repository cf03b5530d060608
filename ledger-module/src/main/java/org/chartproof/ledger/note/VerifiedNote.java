package org.chartproof.ledger.note;

import java.util.List;

/**
 * A note whose text has been verified by {@link SignedNote#open}.
 *
 * @param text the note text, including its final newline
 * @param verifiedBy the trusted keys whose signatures verified, at least one, without duplicates
 */
public record VerifiedNote(String text, List<VerifierKey> verifiedBy) {

  public VerifiedNote {
    verifiedBy = List.copyOf(verifiedBy);
  }
}
