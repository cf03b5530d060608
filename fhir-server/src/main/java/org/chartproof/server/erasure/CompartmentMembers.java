package org.chartproof.server.erasure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.chartproof.server.fhir.PatientCompartment;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The live resources in a patient's compartment, found through HAPI's reference index: every
 * resource with an indexed reference to the Patient (HFJ_RES_LINK) is read and kept if HAPI's
 * Patient compartment definition places it there (FhirTerser, the same rule the consent and
 * authorization packages use). A resource that merely mentions the patient outside a compartment
 * parameter is not a member; it is left alone and, if it still references the Patient, blocks the
 * deletion (409).
 */
final class CompartmentMembers {

  /** A member, and whether it also belongs to another patient's compartment. */
  record Member(IIdType id, boolean shared) {}

  /** The Patient row HAPI keeps: its internal key, and whether it is deleted. */
  record PatientRow(long pid, boolean deleted) {}

  private final JdbcTemplate jdbc;
  private final DaoRegistry daos;
  private final PatientCompartment compartment;

  CompartmentMembers(JdbcTemplate jdbc, DaoRegistry daos, FhirContext fhirContext) {
    this.jdbc = jdbc;
    this.daos = daos;
    this.compartment = new PatientCompartment(fhirContext);
  }

  /** The Patient's row, deleted or not; empty if it never existed. */
  Optional<PatientRow> patient(String patientId) {
    return jdbc
        .query(
            "SELECT res_id, res_deleted_at FROM hfj_resource WHERE res_type = 'Patient'"
                + " AND fhir_id = ?",
            (rs, i) -> new PatientRow(rs.getLong(1), rs.getTimestamp(2) != null),
            patientId)
        .stream()
        .findFirst();
  }

  /** The live members other than the Patient itself. */
  List<Member> of(String patientId, long patientPid) {
    List<IIdType> candidates =
        jdbc.query(
            "SELECT DISTINCT r.res_type, r.fhir_id FROM hfj_res_link l"
                + " JOIN hfj_resource r ON r.res_id = l.src_resource_id"
                + " WHERE l.target_resource_id = ? AND r.res_deleted_at IS NULL"
                + " ORDER BY r.res_type, r.fhir_id",
            (rs, i) -> new IdType(rs.getString(1), rs.getString(2)),
            patientPid);
    String patient = "Patient/" + patientId;
    List<Member> members = new ArrayList<>();
    for (IIdType id : candidates) {
      if (id.getResourceType().equals("Patient")) {
        continue; // another Patient linking to this one is its own compartment
      }
      IFhirResourceDao<?> dao = daos.getResourceDao(id.getResourceType());
      IBaseResource resource = dao.read(id, new SystemRequestDetails());
      Set<String> owners = compartment.owners(resource);
      if (owners.contains(patient)) {
        members.add(new Member(id, owners.size() > 1));
      }
    }
    return members;
  }
}
