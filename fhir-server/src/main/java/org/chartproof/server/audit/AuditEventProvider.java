package org.chartproof.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.Administrators;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Serves the access log as AuditEvent resources, read-only: {@code GET AuditEvent/[id]} and {@code
 * GET AuditEvent?patient=[id]} (newest first, {@code _count} and {@code _offset}). A patient's
 * token reaches that patient's events only; other tokens need the {@code patient} parameter, and
 * what they see of it is then decided by the patient's Consents like any of the patient's data.
 * Events of no patient are for administrators. AuditEvents cannot be written: the server writes
 * them, one per access decision group (docs/audit.md).
 */
final class AuditEventProvider implements IResourceProvider {

  static final int DEFAULT_COUNT = 20;
  static final int MAX_COUNT = 200;

  private final JdbcTemplate jdbc;
  private final FhirContext fhirContext;
  private final Administrators administrators;

  AuditEventProvider(JdbcTemplate jdbc, FhirContext fhirContext, Administrators administrators) {
    this.jdbc = jdbc;
    this.fhirContext = fhirContext;
    this.administrators = administrators;
  }

  @Override
  public Class<AuditEvent> getResourceType() {
    return AuditEvent.class;
  }

  @Read
  public AuditEvent read(@IdParam IIdType id) {
    return parse(readableJson(id));
  }

  /**
   * The event's JSON as stored, if the current token may read it.
   *
   * @throws ResourceNotFoundException as a read would answer, when it is absent or not the token's
   */
  String readableJson(IIdType id) {
    if (id.hasVersionIdPart() && !"1".equals(id.getVersionIdPart())) {
      throw new ResourceNotFoundException(id);
    }
    List<String[]> found =
        jdbc.query(
            "SELECT patient_id, event_json FROM cp_access_audit WHERE event_id = ?",
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
            id.getIdPart());
    if (found.isEmpty() || !mayRead(found.get(0)[0])) {
      throw new ResourceNotFoundException(id);
    }
    return found.get(0)[1];
  }

  @Search
  public List<AuditEvent> search(
      @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
      @Count Integer count,
      @Offset Integer offset) {
    String patientId = patient == null ? null : patient.getIdPart();
    String own = AccessIdentity.current().map(AccessIdentity::patient).orElse(null);
    if (patientId == null) {
      patientId = own;
    }
    if (patientId == null) {
      throw new InvalidRequestException("Search the access log by patient: AuditEvent?patient=...");
    }
    if (!mayRead(patientId)) {
      throw new ForbiddenOperationException("A patient's token reaches that patient's events only");
    }
    int limit = count == null ? DEFAULT_COUNT : Math.max(0, Math.min(count, MAX_COUNT));
    int skip = offset == null ? 0 : Math.max(0, offset);
    return jdbc
        .queryForList(
            "SELECT event_json FROM cp_access_audit WHERE patient_id = ?"
                + " ORDER BY seq DESC LIMIT ? OFFSET ?",
            String.class,
            patientId,
            limit,
            skip)
        .stream()
        .map(this::parse)
        .toList();
  }

  /** Whether the current token may see events about {@code patientId} (null: no patient). */
  private boolean mayRead(String patientId) {
    if (administrators.current().isPresent()) {
      return true;
    }
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (patientId == null || identity.isEmpty()) {
      return false;
    }
    String own = identity.get().patient();
    return own == null || own.equals(patientId);
  }

  private AuditEvent parse(String json) {
    return fhirContext.newJsonParser().parseResource(AuditEvent.class, json);
  }
}
