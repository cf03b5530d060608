package org.chartproof.consent;

import java.util.Objects;

/**
 * A deployment's consent settings, fixed when the {@link ConsentEngine} is built.
 *
 * @param defaultBase what holds where no consent applies, and the base of a Consent whose
 *     policyRule is not one the engine computes (see docs/consent.md)
 * @param breakGlassEnabled whether purpose of use ETREAT with a justification permits access
 *     regardless of consents
 */
public record Policy(BasePolicy defaultBase, boolean breakGlassEnabled) {

  /** Validates the policy. */
  public Policy {
    Objects.requireNonNull(defaultBase, "defaultBase");
  }
}
