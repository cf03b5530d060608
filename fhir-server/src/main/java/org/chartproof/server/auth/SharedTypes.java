package org.chartproof.server.auth;

import java.util.Set;

/**
 * Resource types outside every patient compartment that hold no patient's data: directories and
 * terminology that records point to (Practitioner, Organization, Medication, ValueSet...). A
 * patient token may read them ({@link PatientCompartmentRules}), and consents do not decide them
 * (the consent package, which leaves them to the scopes). Every other type outside the compartment
 * (Binary, Bundle, Task, Subscription, Linkage...) can hold another patient's data and stays closed
 * to patient tokens.
 */
public final class SharedTypes {

  /** The types, by FHIR name. */
  public static final Set<String> NAMES =
      Set.of(
          "Practitioner",
          "PractitionerRole",
          "Organization",
          "Location",
          "HealthcareService",
          "Endpoint",
          "Medication",
          "Substance",
          "ValueSet",
          "CodeSystem",
          "ConceptMap",
          "Questionnaire",
          "StructureDefinition",
          "SearchParameter",
          "CapabilityStatement",
          "OperationDefinition");

  private SharedTypes() {}
}
