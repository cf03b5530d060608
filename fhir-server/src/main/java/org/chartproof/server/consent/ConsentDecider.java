package org.chartproof.server.consent;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.chartproof.consent.AccessRequest;
import org.chartproof.consent.Code;
import org.chartproof.consent.CompiledConsent;
import org.chartproof.consent.ConsentEngine;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Reason;
import org.chartproof.consent.ReasonKind;
import org.chartproof.consent.ResourceFacts;
import org.chartproof.consent.RuleVersion;
import org.chartproof.consent.Verdict;
import org.chartproof.server.auth.SharedTypes;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Decides whether the requester of an {@link AccessContext} may see one stored resource: the
 * adapter between HAPI resources and {@link ConsentEngine#decide}. Decisions are remembered per
 * resource version for the rest of the request.
 */
final class ConsentDecider {

  /** Containers whose entries are decided one by one, never as a whole. */
  static final Set<String> CONTAINERS = Set.of("Bundle", "OperationOutcome", "Parameters");

  private final ConsentEngine engine;
  private final ConsentCache cache;
  private final ResourceFactsReader reader;
  private final FhirContext fhirContext;
  private final Clock clock;
  private final String ruleVersion = RuleVersion.current();

  ConsentDecider(ConsentEngine engine, ConsentCache cache, FhirContext fhirContext, Clock clock) {
    this.engine = engine;
    this.cache = cache;
    this.reader = new ResourceFactsReader(fhirContext);
    this.fhirContext = fhirContext;
    this.clock = clock;
  }

  /**
   * The decision for {@code resource}, or null when there is nothing to decide: reference data,
   * containers (their entries are decided) and contained resources (decided with their container).
   */
  Decision decide(AccessContext context, IBaseResource resource) {
    String type = fhirContext.getResourceType(resource);
    IIdType id = resource.getIdElement();
    if (SharedTypes.NAMES.contains(type) || CONTAINERS.contains(type) || id.isLocal()) {
      return null;
    }
    if (!id.hasIdPart()) {
      return deny(); // a stored resource always has an id; one without cannot be told apart
    }
    String key = type + "/" + id.getIdPart() + "/_history/" + id.getVersionIdPart();
    Decision known = context.decided(key);
    if (known != null) {
      return known;
    }
    Set<String> patients = reader.patients(resource);
    List<String> consents = new ArrayList<>();
    Decision decision = decideNew(context, patients, resource, consents);
    context.remember(key, decision, patients, consents);
    return decision;
  }

  /** Decides; adds the Consent versions the engine was given to {@code consents}. */
  private Decision decideNew(
      AccessContext context, Set<String> patients, IBaseResource resource, List<String> consents) {
    if (patients.isEmpty()) {
      // nobody's Consent speaks for it: the deployment default, as for a patient without Consents
      return new Decision(
          engine.policy().defaultBase().verdict(),
          new Reason(ReasonKind.NO_APPLICABLE_CONSENT, null, null),
          Set.of(),
          false,
          ruleVersion);
    }
    ResourceFacts facts = null; // read only for a patient with Consents: without, no rule needs it
    Instant now = clock.instant();
    long epoch = context.epoch;
    Decision permit = null;
    Set<Code> redact = new HashSet<>();
    // a resource in several patients' compartments is shown only if every one of them permits
    for (String patient : patients) {
      List<CompiledConsent> active = cache.activeConsents(patient, epoch);
      active.forEach(consent -> consents.add(consent.reference()));
      if (!active.isEmpty() && facts == null) {
        facts = reader.facts(resource);
      }
      AccessRequest request =
          new AccessRequest(
              context.requester,
              patient,
              null,
              context.purposes,
              active.isEmpty() ? reader.identity(resource) : facts,
              context.breakGlassJustification);
      Decision decision = engine.decide(active, request, now);
      if (!decision.permitted()) {
        return decision;
      }
      redact.addAll(decision.redactLabels());
      permit = permit == null || decision.breakGlass() ? decision : permit;
    }
    return redact.equals(permit.redactLabels())
        ? permit
        : new Decision(
            permit.verdict(), permit.reason(), redact, permit.breakGlass(), permit.ruleVersion());
  }

  private Decision deny() {
    return new Decision(
        Verdict.DENY,
        new Reason(ReasonKind.NO_APPLICABLE_CONSENT, null, null),
        Set.of(),
        false,
        ruleVersion);
  }
}
