package org.chartproof.consent;

/** Why a {@link Decision} came out as it did. */
public enum ReasonKind {
  /** The patient reads their own record. */
  OWN_RECORD,
  /** Break-glass: emergency treatment (ETREAT) with a justification, enabled by the deployment. */
  BREAK_GLASS,
  /** A provision of a Consent decided; the reason names the Consent version and provision path. */
  PROVISION,
  /** A Consent applied but none of its provisions matched: its base policy (policyRule) decided. */
  BASE_POLICY,
  /** An active privacy Consent of the patient could not be understood: deny. */
  INVALID_CONSENT,
  /** No Consent applied (none active, in period, of privacy scope): the deployment default. */
  NO_APPLICABLE_CONSENT
}
