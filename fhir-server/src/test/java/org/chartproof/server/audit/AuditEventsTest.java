package org.chartproof.server.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.chartproof.consent.Code;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Reason;
import org.chartproof.consent.ReasonKind;
import org.chartproof.consent.RuleVersion;
import org.chartproof.consent.Verdict;
import org.chartproof.ledger.entry.JsonCanonicalizer;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.SmartScopes;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.junit.jupiter.api.Test;

/**
 * AuditEvents are written directly as canonical JSON; what HAPI makes of them when it serves them
 * must be the very JSON their ledger commitment was computed over, and must be the BALP event that
 * docs/audit.md describes.
 */
class AuditEventsTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123456Z");

  private static final AccessIdentity PRACTITIONER =
      new AccessIdentity(
          "dr.\"house\" \\ é \uD83D\uDE00",
          "ehr-app",
          "Practitioner/p1",
          "Organization/hospital",
          null,
          SmartScopes.parse("user/*.rs"),
          List.of());

  private static final AccessIdentity SYSTEM =
      new AccessIdentity(
          "lab", "lab", null, null, null, SmartScopes.parse("system/*.rs"), List.of());

  @Test
  void of_servedByHapi_isExactlyTheCanonicalJsonCommittedTo() throws Exception {
    for (AuditEvents.Event event : sample()) {
      String json = event.json().toJson();

      // as the server serves it: parsed from the row, encoded again, versions in references kept
      IParser parser = FHIR.newJsonParser().setStripVersionsFromReferences(false);
      String served = parser.encodeResourceToString(parser.parseResource(AuditEvent.class, json));

      assertThat(new String(JsonCanonicalizer.canonicalize(served), UTF_8)).isEqualTo(json);
    }
  }

  @Test
  void of_describesWhoWhatWhyAndTheVerdicts_asBalp() {
    List<AuditEvents.Event> events = sample();

    assertThat(events).extracting(AuditEvents.Event::patient).containsExactly("a", "b", null);
    AuditEvent a = parse(events.get(0));
    assertThat(a.getIdElement().getIdPart()).isEqualTo(events.get(0).id());
    assertThat(a.getMeta().getVersionId()).isEqualTo("1");
    assertThat(a.getRecorded())
        .isEqualTo(java.util.Date.from(Instant.parse("2026-11-24T10:15:30.123Z")));
    assertThat(a.getType().getCode()).isEqualTo("rest");
    assertThat(a.getSubtypeFirstRep().getCode()).isEqualTo("read");
    assertThat(a.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(a.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
    assertThat(a.getOutcomeDesc()).isEqualTo("1 permitted, 1 denied by consent");
    assertThat(a.getPurposeOfEvent())
        .extracting(c -> c.getCodingFirstRep().getCode())
        .containsExactly("ETREAT", "TREAT");

    List<AuditEventAgentComponent> agents = a.getAgent();
    assertThat(agents).hasSize(3);
    assertThat(agents.get(0).getWho().getIdentifier().getValue()).isEqualTo("ehr-app");
    assertThat(agents.get(0).getRequestor()).isFalse();
    assertThat(agents.get(0).getPurposeOfUse()).isEmpty();
    assertThat(agents.get(1).getWho().getReference()).isEqualTo("Practitioner/p1");
    assertThat(agents.get(1).getAltId()).isEqualTo(PRACTITIONER.subject());
    assertThat(agents.get(1).getRequestor()).isTrue();
    assertThat(agents.get(1).getPurposeOfUse()).hasSize(2);
    assertThat(agents.get(2).getWho().getReference()).isEqualTo("Organization/hospital");
    assertThat(a.getSource().getTypeFirstRep().getCode()).isEqualTo("4");

    List<AuditEventEntityComponent> entities = a.getEntity();
    assertThat(entities).hasSize(3);
    assertThat(entities.get(0).getWhat().getReference()).isEqualTo("Patient/a");
    assertThat(entities.get(0).getRole().getCode()).isEqualTo("1");
    assertThat(entities.get(1).getWhat().getReference()).isEqualTo("Observation/1/_history/2");
    assertThat(details(entities.get(1)))
        .containsExactly(
            "decision=permit",
            "reason=PROVISION Consent/7/_history/1 provision.provision[0]",
            "consents=Consent/7/_history/1",
            "redacted=http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV",
            "break-glass=unconscious, no record of allergies");
    assertThat(details(entities.get(2)))
        .containsExactly("decision=deny", "reason=NO_APPLICABLE_CONSENT");
    assertThat(a.getExtensionByUrl(AuditEvents.RULE_VERSION).getValue().primitiveValue())
        .isEqualTo(RuleVersion.current());

    AuditEvent noPatient = parse(events.get(2));
    assertThat(noPatient.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(noPatient.getAgent()).hasSize(1);
    assertThat(noPatient.getAgentFirstRep().getRequestor()).isTrue();
    assertThat(noPatient.getEntity()).hasSize(1);
    assertThat(noPatient.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
  }

  private static List<AuditEvents.Event> sample() {
    AccessRequestInfo read =
        new AccessRequestInfo(
            PRACTITIONER, Set.of("TREAT", "ETREAT"), "unconscious, no record of allergies", "read");
    AccessRequestInfo search = new AccessRequestInfo(SYSTEM, Set.of(), null, "search-type");
    Decision permit =
        new Decision(
            Verdict.PERMIT,
            new Reason(ReasonKind.PROVISION, "Consent/7/_history/1", "provision.provision[0]"),
            Set.of(new Code("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV")),
            true,
            RuleVersion.current());
    Decision deny =
        new Decision(
            Verdict.DENY,
            new Reason(ReasonKind.NO_APPLICABLE_CONSENT, null, null),
            Set.of(),
            false,
            RuleVersion.current());
    List<AuditEvents.Event> events =
        new java.util.ArrayList<>(
            AuditEvents.of(
                read,
                List.of(
                    new AccessDecision(
                        "Observation/1/_history/2",
                        Set.of("Patient/a"),
                        List.of("Consent/7/_history/1"),
                        permit),
                    new AccessDecision(
                        "Observation/2/_history/1", Set.of("Patient/a"), List.of(), deny),
                    new AccessDecision(
                        "Observation/3/_history/1", Set.of("Patient/b"), List.of(), deny)),
                AT));
    events.addAll(
        AuditEvents.of(
            search,
            List.of(new AccessDecision("Organization/o/_history/1", Set.of(), List.of(), permit)),
            AT));
    return events;
  }

  private static AuditEvent parse(AuditEvents.Event event) {
    return FHIR.newJsonParser().parseResource(AuditEvent.class, event.json().toJson());
  }

  private static List<String> details(AuditEventEntityComponent entity) {
    return entity.getDetail().stream()
        .map(d -> d.getType() + "=" + d.getValue().primitiveValue())
        .toList();
  }
}
