package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The service's deny-by-default paths, which need no Consent, database or token. */
class ConsentServiceTest {

  private final ConsentService service =
      new ConsentService(null, null, null, FhirContext.forR4Cached(), List.of());

  @Test
  void startOperation_withoutAnAccessToken_rejectsWithAnOperationOutcome() {
    SystemRequestDetails request = new SystemRequestDetails();
    request.setRestOperationType(RestOperationTypeEnum.READ);
    var outcome = service.startOperation(request, IConsentContextServices.NULL_IMPL);
    assertThat(outcome.getStatus()).isEqualTo(ConsentOperationStatusEnum.REJECT);
    assertThat(outcome.getOperationOutcome()).isNotNull();
  }

  @Test
  void canSeeAndWillSee_withoutAStartedOperation_reject() {
    Observation observation = new Observation();
    observation.setId("Observation/o1/_history/1");
    observation.setSubject(new Reference("Patient/p1"));
    SystemRequestDetails request = new SystemRequestDetails();
    assertThat(
            service
                .canSeeResource(request, observation, IConsentContextServices.NULL_IMPL)
                .getStatus())
        .isEqualTo(ConsentOperationStatusEnum.REJECT);
    assertThat(
            service
                .willSeeResource(request, observation, IConsentContextServices.NULL_IMPL)
                .getStatus())
        .isEqualTo(ConsentOperationStatusEnum.REJECT);
  }
}
