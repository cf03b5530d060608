package org.chartproof.server.encryption;

import ca.uhn.fhir.context.FhirContext;
import java.util.Set;
import org.chartproof.server.fhir.PatientCompartment;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Which data key compartment a resource version belongs to: a Patient its own ({@code
 * Patient/{id}}); a resource in a Patient compartment ({@link PatientCompartment}, the rule consent
 * and erasure use too) its patient's; anything else {@code system}. A resource in several patients'
 * compartments (rare: an Observation whose performer is another patient) uses the first of them in
 * string order, so that every writer picks the same one.
 */
final class Compartments {

  private final PatientCompartment compartment;

  Compartments(FhirContext fhirContext) {
    this.compartment = new PatientCompartment(fhirContext);
  }

  /** The compartment of a resource that has its final id. */
  String of(IBaseResource resource) {
    Set<String> patients = compartment.owners(resource); // sorted: the first is everyone's pick
    return patients.isEmpty() ? DataKeys.SYSTEM : patients.iterator().next();
  }

  static String patient(String id) {
    return "Patient/" + id;
  }
}
