package org.chartproof.consent.replay;

import java.util.Objects;
import org.chartproof.consent.Decision;

/**
 * The result of replaying a recorded decision.
 *
 * @param outcome CONFIRMED, REFUTED or REFUSED
 * @param recorded the decision as recorded
 * @param replayed the decision this engine makes from the recorded inputs; {@code null} if REFUSED
 * @param message one line for a person: what was compared, or why the replay was refused
 */
public record ReplayResult(Outcome outcome, Decision recorded, Decision replayed, String message) {

  /** What a replay found. */
  public enum Outcome {
    /** The engine decides exactly as recorded (verdict, reason, redaction, break-glass flag). */
    CONFIRMED,
    /** Same rule version, different decision: the record does not follow from its inputs. */
    REFUTED,
    /** The record was made under another rule version: this engine cannot judge it. */
    REFUSED
  }

  /** Validates the result. */
  public ReplayResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(recorded, "recorded");
    Objects.requireNonNull(message, "message");
    if ((outcome == Outcome.REFUSED) != (replayed == null)) {
      throw new IllegalArgumentException("only a refused replay has no replayed decision");
    }
  }
}
