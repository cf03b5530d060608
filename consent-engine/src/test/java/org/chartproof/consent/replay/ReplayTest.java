package org.chartproof.consent.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.chartproof.consent.AccessRequest;
import org.chartproof.consent.BasePolicy;
import org.chartproof.consent.ConsentEngine;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Policy;
import org.chartproof.consent.Reason;
import org.chartproof.consent.ReasonKind;
import org.chartproof.consent.Requester;
import org.chartproof.consent.ResourceFacts;
import org.chartproof.consent.RuleVersion;
import org.chartproof.consent.Verdict;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

  private static final Policy POLICY = new Policy(BasePolicy.OPT_IN, false);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void check_tamperedVerdict_refutes() {
    RecordedDecision record = record();
    Decision recorded = record.decision();
    Decision forged =
        new Decision(Verdict.PERMIT, recorded.reason(), Set.of(), false, recorded.ruleVersion());
    ReplayResult result = Replay.check(with(record, forged));
    assertThat(result.outcome()).isEqualTo(ReplayResult.Outcome.REFUTED);
    assertThat(result.replayed()).isEqualTo(recorded);
    assertThat(result.message()).contains("recorded PERMIT").contains("give DENY");
  }

  @Test
  void check_tamperedReason_refutes() {
    RecordedDecision record = record();
    Decision recorded = record.decision();
    Decision forged =
        new Decision(
            Verdict.DENY,
            new Reason(ReasonKind.NO_APPLICABLE_CONSENT, null, null),
            Set.of(),
            false,
            recorded.ruleVersion());
    assertThat(Replay.check(with(record, forged)).outcome())
        .isEqualTo(ReplayResult.Outcome.REFUTED);
  }

  @Test
  void check_tamperedConsent_refutes() {
    String json = record().toJson().replace("\"OPTOUT\"", "\"OPTIN\"");
    assertThat(Replay.check(RecordedDecision.fromJson(json)).outcome())
        .isEqualTo(ReplayResult.Outcome.REFUTED);
  }

  @Test
  void check_tamperedNow_refutes() {
    String json = record().toJson().replace("2026-03-01T12:00:00Z", "2031-03-01T12:00:00Z");
    assertThat(Replay.check(RecordedDecision.fromJson(json)).outcome())
        .isEqualTo(ReplayResult.Outcome.REFUTED);
  }

  @Test
  void check_otherRuleVersion_refusesAndSaysWhy() {
    RecordedDecision record = record();
    Decision d = record.decision();
    Decision old = new Decision(d.verdict(), d.reason(), Set.of(), false, "sha256:00");
    ReplayResult result = Replay.check(with(record, old));
    assertThat(result.outcome()).isEqualTo(ReplayResult.Outcome.REFUSED);
    assertThat(result.replayed()).isNull();
    assertThat(result.message())
        .contains("refused")
        .contains("sha256:00")
        .contains(RuleVersion.current());
  }

  @Test
  void fromJson_notJson_throws() {
    assertThatThrownBy(() -> RecordedDecision.fromJson("{not json"))
        .isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void fromJson_missingNow_throwsNamingTheField() {
    String json = record().toJson().replace("\"now\"", "\"then\"");
    assertThatThrownBy(() -> RecordedDecision.fromJson(json))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("now");
  }

  @Test
  void check_recordedConsentNotAConsent_throws() {
    String json =
        record().toJson().replace("\"resourceType\":\"Consent\"", "\"resourceType\":\"Patient\"");
    RecordedDecision record = RecordedDecision.fromJson(json);
    assertThatThrownBy(() -> Replay.check(record)).isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void toJson_isCanonical() {
    String json = record().toJson();
    assertThat(RecordedDecision.fromJson(json).toJson()).isEqualTo(json);
    assertThat(json).startsWith("{\"consents\":[").doesNotContain("\n").doesNotContain(": ");
    assertThat(json.indexOf("\"decision\"")).isLessThan(json.indexOf("\"now\""));
    assertThat(json.indexOf("\"now\"")).isLessThan(json.indexOf("\"policy\""));
  }

  @Test
  void check_untamperedRecord_confirms() {
    ReplayResult result = Replay.check(RecordedDecision.fromJson(record().toJson()));
    assertThat(result.outcome()).isEqualTo(ReplayResult.Outcome.CONFIRMED);
    assertThat(result.message())
        .isEqualTo("confirmed: DENY BASE_POLICY Consent/c1/_history/7 policyRule");
  }

  @Test
  void run_exitCodes_tellConfirmedRefutedRefusedUnreadable(@TempDir Path dir) throws IOException {
    RecordedDecision record = record();
    Decision d = record.decision();
    assertThat(run(dir, record.toJson())).isZero();
    assertThat(run(dir, with(record, permit(d)).toJson())).isEqualTo(1);
    assertThat(
            run(
                dir,
                with(record, new Decision(d.verdict(), d.reason(), Set.of(), false, "sha256:00"))
                    .toJson()))
        .isEqualTo(2);
    assertThat(run(dir, "[]")).isEqualTo(3);
  }

  private static int run(Path dir, String json) throws IOException {
    Path file = Files.writeString(dir.resolve("record.json"), json, StandardCharsets.UTF_8);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Replay.run(new String[] {file.toString()}, sink, sink);
  }

  private static Decision permit(Decision d) {
    return new Decision(Verdict.PERMIT, d.reason(), Set.of(), false, d.ruleVersion());
  }

  private static RecordedDecision with(RecordedDecision r, Decision d) {
    return new RecordedDecision(r.policy(), r.consents(), r.request(), r.now(), d);
  }

  /**
   * An OPTOUT Consent (version 7) until 2027 whose root provision permits Practitioner/99 only;
   * Practitioner/12 asks, and is denied by the base policy.
   */
  private static RecordedDecision record() {
    Consent consent = new Consent();
    consent.setId("c1");
    consent.getMeta().setVersionId("7");
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.setScope(
        new CodeableConcept(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
    consent.setPatient(new Reference("Patient/123"));
    consent.setPolicyRule(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTOUT", null)));
    Consent.ProvisionComponent root = consent.getProvision();
    root.getPeriod().setEndElement(new DateTimeType("2027-01-01"));
    root.addActor()
        .setReference(new Reference("Practitioner/99"))
        .setRole(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PRCP", null)));
    AccessRequest request =
        new AccessRequest(
            new Requester("Practitioner/12", "Organization/7", "ehr", Set.of(), Set.of()),
            "Patient/123",
            "access",
            Set.of("TREAT"),
            new ResourceFacts(
                "Observation",
                "o1",
                "1",
                Set.of(),
                Set.of(),
                Set.of(),
                NOW,
                Set.of(),
                Set.of(),
                Set.of()),
            null);
    ConsentEngine engine = new ConsentEngine(POLICY);
    Decision decision = engine.decide(List.of(engine.compile(consent)), request, NOW);
    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    return RecordedDecision.of(POLICY, List.of(consent), request, NOW, decision);
  }
}
