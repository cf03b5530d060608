package org.chartproof.server.encryption;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Which data key compartment a resource version belongs to: a Patient its own ({@code
 * Patient/{id}}); a resource in a Patient compartment (HAPI's compartment definitions, as {@code
 * consent.ResourceFactsReader} reads them) its patient's; anything else {@code system}. A resource
 * in several patients' compartments (rare: an Observation whose performer is another patient) uses
 * the first of them in string order, so that every writer picks the same one.
 */
final class Compartments {

  private final FhirContext fhirContext;
  private final FhirTerser terser;

  Compartments(FhirContext fhirContext) {
    this.fhirContext = fhirContext;
    this.terser = fhirContext.newTerser();
  }

  /** The compartment of a resource that has its final id. */
  String of(IBaseResource resource) {
    String type = fhirContext.getResourceType(resource);
    if (type.equals("Patient")) {
      return patient(resource.getIdElement().getIdPart());
    }
    if (fhirContext
        .getResourceDefinition(type)
        .getSearchParamsForCompartmentName("Patient")
        .isEmpty()) {
      return DataKeys.SYSTEM;
    }
    Set<String> patients = new TreeSet<>();
    for (IIdType owner : terser.getCompartmentOwnersForResource("Patient", resource, Set.of())) {
      if ("Patient".equals(owner.getResourceType()) && owner.hasIdPart()) {
        patients.add(owner.getIdPart());
      }
    }
    return patients.isEmpty() ? DataKeys.SYSTEM : patient(patients.iterator().next());
  }

  static String patient(String id) {
    return "Patient/" + id;
  }
}
