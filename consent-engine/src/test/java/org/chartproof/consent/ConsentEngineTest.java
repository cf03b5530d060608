package org.chartproof.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link ConsentEngine#decide} the server relies on besides the scenario cases
 * (consent-cases): a patient without Consents is decided without the resource's facts, so the
 * server reads them only for patients with Consents (ConsentDecider).
 */
class ConsentEngineTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  /** A resource with every kind of fact a rule could match: labels, codes, a date, an author. */
  private static final ResourceFacts FULL =
      new ResourceFacts(
          "Observation",
          "o1",
          "3",
          Set.of(Code.of(Code.CONFIDENTIALITY, "R"), Code.of(Code.ACT_CODE, "HIV")),
          Set.of(Code.of("http://loinc.org", "8867-4")),
          Set.of(Code.of(null, "http://hl7.org/fhir/StructureDefinition/vitalsigns")),
          Instant.parse("2026-01-02T03:04:05Z"),
          Set.of("Practitioner/doc"),
          Set.of("Patient/p1", "Encounter/e1"),
          Set.of("DiagnosticReport/r1"));

  /** The same resource known only by its identity. */
  private static final ResourceFacts IDENTITY = ResourceFacts.identity("Observation", "o1", "3");

  @Test
  void withoutConsents_theResourceFactsDoNotChangeTheDecision() {
    Requester lab = new Requester(null, "Organization/lab", "lab-app", Set.of(), Set.of());
    Requester patient = new Requester("Patient/p1", null, "patient-app", Set.of(), Set.of());
    List<Set<String>> purposes = List.of(Set.of("TREAT"), Set.of("HPAYMT"), Set.of("ETREAT"));
    for (BasePolicy base : BasePolicy.values()) {
      for (boolean breakGlass : new boolean[] {false, true}) {
        ConsentEngine engine = new ConsentEngine(new Policy(base, breakGlass));
        for (Requester requester : List.of(lab, patient)) {
          for (Set<String> purpose : purposes) {
            for (String justification : new String[] {null, "unconscious in the ED"}) {
              Decision withFacts =
                  engine.decide(List.of(), request(requester, purpose, justification, FULL), NOW);
              Decision withIdentity =
                  engine.decide(
                      List.of(), request(requester, purpose, justification, IDENTITY), NOW);
              assertThat(withIdentity)
                  .as("%s, break-glass %s, %s, %s", base, breakGlass, requester, purpose)
                  .isEqualTo(withFacts);
            }
          }
        }
      }
    }
  }

  private static AccessRequest request(
      Requester requester, Set<String> purposes, String justification, ResourceFacts facts) {
    return new AccessRequest(requester, "Patient/p1", null, purposes, facts, justification);
  }
}
