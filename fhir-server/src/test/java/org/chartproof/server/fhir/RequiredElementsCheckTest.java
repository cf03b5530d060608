package org.chartproof.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class RequiredElementsCheckTest {

  private final RequiredElementsCheck check = new RequiredElementsCheck(FhirContext.forR4Cached());

  @Test
  void observationWithoutStatus_isMissingStatus() {
    Observation observation = new Observation();
    observation.getCode().setText("heart rate");
    assertThat(check.missingElements(observation)).containsExactly("Observation.status");
  }

  @Test
  void observationWithoutStatusAndCode_namesBoth() {
    assertThat(check.missingElements(new Observation()))
        .containsExactlyInAnyOrder("Observation.status", "Observation.code");
  }

  @Test
  void completeObservation_passes() {
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("heart rate");
    assertThat(check.missingElements(observation)).isEmpty();
  }

  @Test
  void mandatoryElementInsideAnOptionalBackboneElement_isRequiredOnlyWhenTheElementIsPresent() {
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("blood pressure");
    observation.addComponent().getCode().setText("systolic");
    observation.addComponent().setValue(new StringType("no code")); // component.code is 1..1
    assertThat(check.missingElements(observation)).containsExactly("Observation.component[1].code");
  }

  @Test
  void extensionWithoutUrl_isMissingItsUrl() {
    Patient patient = new Patient();
    patient.addExtension(new Extension().setValue(new StringType("x")));
    assertThat(check.missingElements(patient)).containsExactly("Patient.extension[0].url");
  }

  @Test
  void containedResource_isCheckedToo() {
    Observation contained = new Observation();
    contained.setId("obs1");
    contained.getCode().setText("x");
    Patient patient = new Patient();
    patient.addContained(contained);
    assertThat(check.missingElements(patient)).containsExactly("Patient.contained[0].status");
  }

  @Test
  void bundleEntriesWithMissingRequestMethod_areNamed() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().getRequest().setUrl("Patient");
    assertThat(check.missingElements(bundle)).containsExactly("Bundle.entry[0].request.method");
  }

  @Test
  void check_rejectsWith422AndOneIssuePerMissingElement() {
    assertThatThrownBy(() -> check.check(new Observation()))
        .isInstanceOfSatisfying(
            UnprocessableEntityException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(422);
              OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
              assertThat(outcome.getIssue())
                  .extracting(issue -> issue.getExpression().get(0).getValue())
                  .containsExactlyInAnyOrder("Observation.status", "Observation.code");
            });
  }
}
