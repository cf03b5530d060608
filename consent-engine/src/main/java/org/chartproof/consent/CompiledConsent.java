package org.chartproof.consent;

import java.time.Instant;
import java.util.Set;

/**
 * A Consent compiled once into an immutable rule tree, for {@link ConsentEngine#decide}. Built by
 * {@link ConsentEngine#compile}; safe to cache and share between threads. A Consent the engine
 * cannot understand compiles too, as an invalid consent that denies (see {@link
 * ReasonKind#INVALID_CONSENT}).
 */
public final class CompiledConsent {

  private final String reference;
  private final Policy policy;
  private final boolean active;
  private final String patient;
  private final Window validity;
  private final Provision.Outcome base;
  private final Provision root;
  private final boolean invalid;

  CompiledConsent(
      String reference,
      Policy policy,
      boolean active,
      String patient,
      Window validity,
      Provision.Outcome base,
      Provision root,
      boolean invalid) {
    this.reference = reference;
    this.policy = policy;
    this.active = active;
    this.patient = patient;
    this.validity = validity;
    this.base = base;
    this.root = root;
    this.invalid = invalid;
  }

  /** {@code Consent/id/_history/version}, or {@code Consent/id} if it had no version id. */
  public String reference() {
    return reference;
  }

  /** Whether the Consent could not be understood and therefore denies whenever it applies. */
  public boolean invalid() {
    return invalid;
  }

  Policy policy() {
    return policy;
  }

  /**
   * Whether this Consent speaks for the request at all: status active and scope patient-privacy
   * (both checked at compile time), the request's patient, and {@code now} inside the root
   * provision's period.
   */
  boolean appliesTo(String requestPatient, Instant now) {
    return active && requestPatient.equals(patient) && (validity == null || validity.contains(now));
  }

  /** The decision of this Consent for a request it applies to. */
  Provision.Outcome evaluate(AccessRequest request, Instant now, Set<Code> redact) {
    if (invalid) {
      return new Provision.Outcome(
          Verdict.DENY, new Reason(ReasonKind.INVALID_CONSENT, reference, null));
    }
    Provision.Outcome outcome = root == null ? null : root.evaluate(request, now, redact);
    return outcome != null ? outcome : base;
  }
}
