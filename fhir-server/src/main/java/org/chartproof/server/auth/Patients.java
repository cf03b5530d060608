package org.chartproof.server.auth;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * The patients a launch context may name, looked up for the authorization server itself (not on
 * behalf of a token): whether one exists, a name search for the picker, and the patient a related
 * person is related to.
 */
public final class Patients {

  /** At most this many patients are listed in the picker. */
  static final int PICKER_PAGE = 20;

  private final DaoRegistry daos;

  public Patients(DaoRegistry daos) {
    this.daos = daos;
  }

  /** The patient with FHIR id {@code id}, if it is one, exists and was not deleted. */
  Optional<Patient> find(String id) {
    if (id == null || !id.equals(AccessIdentity.patientId(id))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          (Patient) dao("Patient").read(new IdType("Patient", id), new SystemRequestDetails()));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  /** Patients whose name contains {@code name} (HAPI's {@code name} search), at most a page. */
  List<Patient> byName(String name) {
    SearchParameterMap search = SearchParameterMap.newSynchronous();
    search.setCount(PICKER_PAGE);
    search.setLoadSynchronousUpTo(PICKER_PAGE);
    if (name != null && !name.isBlank()) {
      search.add(Patient.SP_NAME, new StringParam(name.strip()));
    }
    return dao("Patient").search(search, new SystemRequestDetails()).getAllResources().stream()
        .map(Patient.class::cast)
        .toList();
  }

  /**
   * The patient a related person speaks for, as an id: the Patient their RelatedPerson names. Empty
   * when {@code relatedPerson} ({@code RelatedPerson/5}, possibly an absolute URL) is no
   * RelatedPerson, does not exist, is inactive or names no Patient. The one rule for the patient
   * picker and for who may write a patient's Consents.
   */
  public Optional<String> relatedTo(String relatedPerson) {
    IdType id = new IdType(relatedPerson).toUnqualifiedVersionless();
    if (!"RelatedPerson".equals(id.getResourceType()) || !id.hasIdPart()) {
      return Optional.empty();
    }
    try {
      RelatedPerson person =
          (RelatedPerson) dao("RelatedPerson").read(id, new SystemRequestDetails());
      IIdType patient = person.getPatient().getReferenceElement();
      boolean speaks =
          (!person.hasActive() || person.getActive())
              && "Patient".equals(patient.getResourceType())
              && patient.hasIdPart();
      return speaks ? Optional.of(patient.getIdPart()) : Optional.empty();
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  private IFhirResourceDao<org.hl7.fhir.instance.model.api.IBaseResource> dao(String type) {
    return (IFhirResourceDao<org.hl7.fhir.instance.model.api.IBaseResource>)
        daos.getResourceDao(type);
  }
}
