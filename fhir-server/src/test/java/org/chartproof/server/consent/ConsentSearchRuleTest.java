package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.dao.NonPersistedSearch;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.HasParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import java.util.Set;
import org.chartproof.consent.Requester;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.SmartScopes;
import org.junit.jupiter.api.Test;

class ConsentSearchRuleTest {

  private final ConsentSearchRule rule = new ConsentSearchRule(FhirContext.forR4Cached());

  private static SystemRequestDetails consentChecked() {
    SystemRequestDetails request = new SystemRequestDetails();
    new AccessContext(
            new AccessIdentity(
                "lab-system",
                "lab-system",
                null,
                "Organization/lab",
                null,
                SmartScopes.parse("system/*.rs"),
                List.of()),
            new Requester(null, "Organization/lab", "lab-system", Set.of(), Set.of()),
            Set.of(),
            null,
            0)
        .attachTo(request);
    return request;
  }

  private void check(String type, SearchParameterMap parameters) {
    rule.check(consentChecked(), parameters, new NonPersistedSearch(type));
  }

  @Test
  void check_chainIntoPatientData_isRefused() {
    assertThatThrownBy(
            () ->
                check(
                    "Observation",
                    SearchParameterMap.newSynchronous()
                        .add("subject", new ReferenceParam("name", "Smith"))))
        .isInstanceOf(ForbiddenOperationException.class)
        .hasMessageContaining("subject.name");
    assertThatThrownBy(
            () ->
                check(
                    "Observation",
                    SearchParameterMap.newSynchronous()
                        .add("subject", new ReferenceParam("Patient", "family", "Smith"))))
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void check_reverseChainAndChainedSort_areRefused() {
    assertThatThrownBy(
            () ->
                check(
                    "Patient",
                    SearchParameterMap.newSynchronous()
                        .add("_has", new HasParam("Observation", "subject", "code", "1234-5"))))
        .isInstanceOf(ForbiddenOperationException.class)
        .hasMessageContaining("_has");
    SearchParameterMap sorted = SearchParameterMap.newSynchronous();
    sorted.setSort(new SortSpec("patient.family"));
    assertThatThrownBy(() -> check("Observation", sorted))
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void check_oneLinkIntoReferenceData_isAllowed_twoLinksAreNot() {
    assertThatCode(
            () ->
                check(
                    "Observation",
                    SearchParameterMap.newSynchronous()
                        .add("performer", new ReferenceParam("Practitioner", "family", "Doc"))))
        .doesNotThrowAnyException();
    // Encounter.service-provider targets Organization only
    assertThatCode(
            () ->
                check(
                    "Encounter",
                    SearchParameterMap.newSynchronous()
                        .add("service-provider", new ReferenceParam("name", "Clinic"))))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                check(
                    "Encounter",
                    SearchParameterMap.newSynchronous()
                        .add("service-provider", new ReferenceParam("partof.name", "Clinic"))))
        .isInstanceOf(ForbiddenOperationException.class);
    // Observation.performer may be a Patient or a RelatedPerson
    assertThatThrownBy(
            () ->
                check(
                    "Observation",
                    SearchParameterMap.newSynchronous()
                        .add("performer", new ReferenceParam("name", "Doc"))))
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void check_plainReferences_andTheServersOwnSearches_pass() {
    assertThatCode(
            () ->
                check(
                    "Observation",
                    SearchParameterMap.newSynchronous()
                        .add("subject", new ReferenceParam("Patient/1"))))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                rule.check(
                    new SystemRequestDetails(),
                    SearchParameterMap.newSynchronous()
                        .add("subject", new ReferenceParam("name", "Smith")),
                    new NonPersistedSearch("Observation")))
        .doesNotThrowAnyException();
  }
}
