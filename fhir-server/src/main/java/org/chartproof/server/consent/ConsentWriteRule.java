package org.chartproof.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Optional;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.Patients;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Consent;

/**
 * Only the patient decides about their Consents: a Consent is created, updated or deleted only by a
 * token whose user is the Consent's patient ({@code fhirUser} {@code Patient/id}), or a delegate: a
 * RelatedPerson of that patient acting with that patient in context. Anyone else, whatever their
 * scopes, is refused with 403. Checked per resource as it is stored, so every entry of a
 * transaction bundle is checked too; an update must leave the Consent with the same patient.
 */
@Interceptor
final class ConsentWriteRule {

  private final Patients patients;

  ConsentWriteRule(Patients patients) {
    this.patients = patients;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void creating(IBaseResource resource) {
    check(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updating(IBaseResource oldResource, IBaseResource newResource) {
    check(oldResource);
    check(newResource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  public void deleting(IBaseResource resource) {
    check(resource);
  }

  private void check(IBaseResource resource) {
    if (!(resource instanceof Consent consent)) {
      return;
    }
    Optional<AccessIdentity> identity = AccessIdentity.current();
    IIdType patient = consent.getPatient().getReferenceElement();
    boolean allowed =
        identity.isPresent()
            && "Patient".equals(patient.getResourceType())
            && patient.hasIdPart()
            && speaksFor(identity.get(), patient.getIdPart());
    if (!allowed) {
      throw new ForbiddenOperationException(
          "Only the patient of a Consent, or a related person acting for them, may create, update"
              + " or delete it");
    }
  }

  /** Whether the token's user is the patient, or their RelatedPerson with them in context. */
  private boolean speaksFor(AccessIdentity identity, String patientId) {
    if (patientId.equals(AccessIdentity.patientOf(identity.fhirUser()))) {
      return true;
    }
    String user = identity.fhirUser();
    if (user == null || !patientId.equals(identity.patient())) {
      return false;
    }
    return patients.relatedTo(user).map(patientId::equals).orElse(false);
  }
}
