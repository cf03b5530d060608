package org.chartproof.consent;

import java.util.Objects;
import java.util.Set;

/**
 * A consent decision for one resource.
 *
 * <p>Redaction: a PERMIT may carry {@code redactLabels}, the security labels that a deny exception
 * of the permitting Consent names but that the resource does not carry at resource level. The
 * resource may be shown, but content inside it labelled with one of them (inline security labels,
 * contained resources, Bundle entries) must be removed by the caller. The engine does not look
 * inside resources; it only names the labels. A DENY never carries labels.
 *
 * @param verdict PERMIT or DENY
 * @param reason what decided
 * @param redactLabels labels whose content the caller must remove from a permitted resource; empty
 *     if none, always empty for DENY
 * @param breakGlass whether access was granted by break-glass (to be flagged in the audit trail)
 * @param ruleVersion {@link RuleVersion#current()} of the engine that decided
 */
public record Decision(
    Verdict verdict,
    Reason reason,
    Set<Code> redactLabels,
    boolean breakGlass,
    String ruleVersion) {

  /** Validates the decision and copies the labels. */
  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(ruleVersion, "ruleVersion");
    redactLabels = Set.copyOf(redactLabels);
    if (verdict == Verdict.DENY && (!redactLabels.isEmpty() || breakGlass)) {
      throw new IllegalArgumentException("a DENY carries neither redaction nor break-glass");
    }
  }

  /** Whether the resource may be shown (possibly after redaction). */
  public boolean permitted() {
    return verdict == Verdict.PERMIT;
  }

  /**
   * Whether content inside a permitted resource (a contained resource, a Bundle entry, an element
   * with an inline security label) that carries {@code contentLabels} must be removed: it carries
   * one of {@link #redactLabels}, a confidentiality label covering its level and above, as the deny
   * exception that named them would match it. Content that carries no label is never removed (the
   * resource's own labels were decided already).
   *
   * @param contentLabels the labels the content itself carries
   */
  public boolean redacts(Set<Code> contentLabels) {
    return !redactLabels.isEmpty()
        && !contentLabels.isEmpty()
        && new SecurityLabels(redactLabels).matches(contentLabels, Verdict.DENY);
  }
}
