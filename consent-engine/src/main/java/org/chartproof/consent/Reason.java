package org.chartproof.consent;

import java.util.Objects;

/**
 * The recorded reason of a decision.
 *
 * @param kind what decided
 * @param consent for PROVISION, BASE_POLICY and INVALID_CONSENT: the deciding Consent as {@code
 *     Consent/id/_history/version} (without {@code /_history/..} if it had no version id);
 *     otherwise {@code null}
 * @param provision for PROVISION: the path of the deciding provision, e.g. {@code provision} or
 *     {@code provision.provision[1]}; for BASE_POLICY {@code policyRule}; otherwise {@code null}
 */
public record Reason(ReasonKind kind, String consent, String provision) {

  /** Validates the reason. */
  public Reason {
    Objects.requireNonNull(kind, "kind");
    boolean needsConsent =
        kind == ReasonKind.PROVISION
            || kind == ReasonKind.BASE_POLICY
            || kind == ReasonKind.INVALID_CONSENT;
    if (needsConsent != (consent != null)) {
      throw new IllegalArgumentException("a " + kind + " reason names a consent iff it is one");
    }
    if ((kind == ReasonKind.PROVISION || kind == ReasonKind.BASE_POLICY) != (provision != null)) {
      throw new IllegalArgumentException("a " + kind + " reason names a provision iff it is one");
    }
  }

  static Reason of(ReasonKind kind) {
    return new Reason(kind, null, null);
  }

  @Override
  public String toString() {
    return kind
        + (consent == null ? "" : " " + consent)
        + (provision == null ? "" : " " + provision);
  }
}
