package org.chartproof.consent;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;

/**
 * The consent engine: a pure, deterministic function from a patient's Consents and one access
 * request to a {@link Decision}. No clock, no I/O: the caller passes {@code now}.
 *
 * <p>Order of evaluation in {@link #decide}:
 *
 * <ol>
 *   <li>The patient reading their own record (action access, fhirUser is the patient): PERMIT,
 *       {@link ReasonKind#OWN_RECORD}.
 *   <li>Break-glass, if the {@link Policy} enables it: action access with purpose of use ETREAT and
 *       a justification: PERMIT flagged {@link Decision#breakGlass()}. Without a justification
 *       ETREAT is an ordinary purpose.
 *   <li>Every Consent that applies (active, scope patient-privacy, this patient, {@code now} inside
 *       its root provision's period) decides PERMIT or DENY on its own (see {@link Provision}).
 *       Several combine: any DENY wins; otherwise any PERMIT permits. The recorded reason is the
 *       one of the Consent whose reference sorts first among those with the winning verdict, so the
 *       result does not depend on the order of the list.
 *   <li>No Consent applies: the deployment's default base policy, {@link
 *       ReasonKind#NO_APPLICABLE_CONSENT}.
 * </ol>
 *
 * <p>With no Consents (or none that applies) nothing about the resource beyond its identity is
 * looked at: callers may pass facts that name only the resource (the server does, for patients
 * without Consents, to save reading them).
 *
 * <p>Semantics and their sources: docs/consent.md.
 */
public final class ConsentEngine {

  private static final String ETREAT = "ETREAT";
  private static final String ACCESS = "access";

  private final Policy policy;
  private final ConsentCompiler compiler;
  private final String ruleVersion = RuleVersion.current();

  /** An engine for the deployment's policy. */
  public ConsentEngine(Policy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.compiler = new ConsentCompiler(policy);
  }

  /** The policy this engine was built with. */
  public Policy policy() {
    return policy;
  }

  /**
   * Compiles a Consent for this engine's policy, once; the result is immutable and may be cached
   * per Consent version. Never throws for a malformed Consent: it compiles to an invalid consent
   * that denies.
   */
  public CompiledConsent compile(Consent consent) {
    return compiler.compile(Objects.requireNonNull(consent, "consent"));
  }

  /**
   * Decides one access to one resource.
   *
   * @param consents the patient's Consents, compiled by this engine (others throw {@link
   *     IllegalArgumentException}); Consents of other patients or not in force are ignored
   * @param request the access
   * @param now the instant of the access (Consent periods are compared with it)
   * @return the decision, never {@code null}
   */
  public Decision decide(List<CompiledConsent> consents, AccessRequest request, Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(now, "now");
    boolean access = ACCESS.equals(request.action());
    if (access && request.patient().equals(request.requester().fhirUser())) {
      return decision(Verdict.PERMIT, Reason.of(ReasonKind.OWN_RECORD), Set.of(), false);
    }
    if (policy.breakGlassEnabled()
        && access
        && request.purposes().contains(ETREAT)
        && request.breakGlassJustification() != null) {
      return decision(Verdict.PERMIT, Reason.of(ReasonKind.BREAK_GLASS), Set.of(), true);
    }
    Provision.Outcome deny = null;
    Provision.Outcome permit = null;
    Set<Code> redact = new HashSet<>();
    for (CompiledConsent consent : consents) {
      if (consent.policy() != policy && !consent.policy().equals(policy)) {
        throw new IllegalArgumentException("a consent compiled for another policy");
      }
      if (!consent.appliesTo(request.patient(), now)) {
        continue;
      }
      Provision.Outcome outcome = consent.evaluate(request, now, redact);
      if (outcome.verdict() == Verdict.PERMIT) {
        permit = first(permit, outcome);
      } else {
        deny = first(deny, outcome);
      }
    }
    if (deny != null) {
      return decision(Verdict.DENY, deny.reason(), Set.of(), false);
    }
    if (permit != null) {
      return decision(Verdict.PERMIT, permit.reason(), redact.isEmpty() ? Set.of() : redact, false);
    }
    return decision(
        policy.defaultBase().verdict(),
        Reason.of(ReasonKind.NO_APPLICABLE_CONSENT),
        Set.of(),
        false);
  }

  private Decision decision(Verdict verdict, Reason reason, Set<Code> redact, boolean breakGlass) {
    return new Decision(verdict, reason, redact, breakGlass, ruleVersion);
  }

  /** The outcome whose consent reference (then provision path) sorts first. */
  private static Provision.Outcome first(Provision.Outcome current, Provision.Outcome next) {
    if (current == null) {
      return next;
    }
    int byConsent = next.reason().consent().compareTo(current.reason().consent());
    if (byConsent != 0) {
      return byConsent < 0 ? next : current;
    }
    return next.reason().provision() != null
            && current.reason().provision() != null
            && next.reason().provision().compareTo(current.reason().provision()) < 0
        ? next
        : current;
  }
}
