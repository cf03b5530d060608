package org.chartproof.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Whose Patient compartment a resource is in, by HAPI's compartment definitions: the one rule that
 * consent (whose Consents decide), encryption (whose data key seals it) and erasure (what an
 * erasure removes) share. A Patient is in its own compartment.
 */
public final class PatientCompartment {

  private final FhirContext fhirContext;
  private final FhirTerser terser;

  public PatientCompartment(FhirContext fhirContext) {
    this.fhirContext = fhirContext;
    this.terser = fhirContext.newTerser();
  }

  /** Whether resources of this type can belong to a patient (Patient, or a compartment type). */
  public boolean holds(String type) {
    return type.equals("Patient")
        || !fhirContext
            .getResourceDefinition(type)
            .getSearchParamsForCompartmentName("Patient")
            .isEmpty();
  }

  /**
   * The patients ({@code Patient/id}) whose compartment the resource is in, sorted; empty if it
   * names none (an Observation about a device) or its type has no Patient compartment.
   */
  public Set<String> owners(IBaseResource resource) {
    Set<String> patients = new TreeSet<>();
    String type = fhirContext.getResourceType(resource);
    if (type.equals("Patient")) {
      IIdType id = resource.getIdElement();
      if (id.hasIdPart()) {
        patients.add("Patient/" + id.getIdPart());
      }
      return patients;
    }
    if (!holds(type)) {
      return patients;
    }
    for (IIdType owner : terser.getCompartmentOwnersForResource("Patient", resource, Set.of())) {
      if ("Patient".equals(owner.getResourceType()) && owner.hasIdPart()) {
        patients.add("Patient/" + owner.getIdPart());
      }
    }
    return patients;
  }
}
