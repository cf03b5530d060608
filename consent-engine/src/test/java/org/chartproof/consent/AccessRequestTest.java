package org.chartproof.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRequestTest {

  private static final ResourceFacts OBSERVATION =
      ResourceFacts.identity("Observation", "o1", null);
  private static final Requester PRACTITIONER =
      new Requester("Practitioner/12", null, null, Set.of(), Set.of());

  @Test
  void request_patientNotAPatientReference_throws() {
    assertThatThrownBy(
            () -> new AccessRequest(PRACTITIONER, "Group/1", null, Set.of(), OBSERVATION, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new AccessRequest(PRACTITIONER, "123", null, Set.of(), OBSERVATION, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void request_unknownAction_throws() {
    assertThatThrownBy(
            () ->
                new AccessRequest(PRACTITIONER, "Patient/1", "delete", Set.of(), OBSERVATION, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requester_malformedReference_throws() {
    assertThatThrownBy(() -> new Requester("urn:uuid:1234", null, null, Set.of(), Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void request_defaultsActionToAccess_normalisesReferences_dropsBlankJustification() {
    AccessRequest request =
        new AccessRequest(
            new Requester(
                "https://ehr.example.org/fhir/Practitioner/12/_history/3",
                null,
                null,
                Set.of(),
                Set.of("CareTeam/5")),
            "https://ehr.example.org/fhir/Patient/1",
            null,
            Set.of("TREAT"),
            OBSERVATION,
            "  ");
    assertThat(request.action()).isEqualTo("access");
    assertThat(request.patient()).isEqualTo("Patient/1");
    assertThat(request.requester().fhirUser()).isEqualTo("Practitioner/12");
    assertThat(request.breakGlassJustification()).isNull();
  }

  @Test
  void decide_consentCompiledForAnotherPolicy_throws() {
    ConsentEngine optIn = new ConsentEngine(new Policy(BasePolicy.OPT_IN, false));
    ConsentEngine optOut = new ConsentEngine(new Policy(BasePolicy.OPT_OUT, false));
    org.hl7.fhir.r4.model.Consent consent = new org.hl7.fhir.r4.model.Consent();
    consent.setId("c1");
    CompiledConsent compiled = optOut.compile(consent);
    AccessRequest request =
        new AccessRequest(PRACTITIONER, "Patient/1", null, Set.of(), OBSERVATION, null);
    assertThatThrownBy(() -> optIn.decide(List.of(compiled), request, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void window_partialDatesCoverTheirWholeUnit_inUtc() {
    Window year = Window.of("2015", "2015");
    assertThat(year.contains(Instant.parse("2015-01-01T00:00:00Z"))).isTrue();
    assertThat(year.contains(Instant.parse("2015-12-31T23:59:59.999Z"))).isTrue();
    assertThat(year.contains(Instant.parse("2016-01-01T00:00:00Z"))).isFalse();
    assertThat(year.contains(Instant.parse("2014-12-31T23:59:59Z"))).isFalse();
    Window month = Window.of("2015-02", null);
    assertThat(month.contains(Instant.parse("2015-01-31T23:59:59Z"))).isFalse();
    assertThat(month.contains(Instant.parse("2099-01-01T00:00:00Z"))).isTrue();
    Window exact = Window.of(null, "2016-06-23T17:32:33+10:00");
    assertThat(exact.contains(Instant.parse("2016-06-23T07:32:33Z"))).isTrue();
    assertThat(exact.contains(Instant.parse("2016-06-23T07:32:34Z"))).isFalse();
  }

  @Test
  void window_endBeforeStartOrNoTimeZone_throws() {
    assertThatThrownBy(() -> Window.of("2016", "2015"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Window.of("2016-01-01T10:00:00", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
