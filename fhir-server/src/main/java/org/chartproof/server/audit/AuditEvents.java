package org.chartproof.server.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.chartproof.consent.Decision;
import org.chartproof.server.auth.AccessIdentity;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Turns one request's consent decisions into AuditEvents in the shape of IHE Basic Audit Log
 * Patterns (BALP) "Read"/"Query" events: one per patient whose data was decided (and one for data
 * of no patient), naming who asked (user, client, organization), why (purpose of use), every
 * resource version decided with its verdict, reason and the Consent versions it was decided from,
 * the rule version, and break-glass with its justification. See docs/audit.md.
 */
final class AuditEvents {

  static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
  static final String PURPOSE = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
  static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";

  /** The extension carrying the consent engine's rule version the decisions were made under. */
  static final String RULE_VERSION =
      "https://chartproof.org/fhir/StructureDefinition/consent-rule-version";

  /** The identifier system of the OAuth client ids agents are named by. */
  static final String CLIENT_ID = "urn:chartproof:oauth-client";

  private AuditEvents() {}

  /**
   * The AuditEvents for {@code decisions}, grouped by patient in the order first decided.
   *
   * @param at when the decisions were made (the events' {@code recorded})
   */
  static List<AuditEvent> of(
      AccessRequestInfo request, List<AccessDecision> decisions, Instant at) {
    Map<String, List<AccessDecision>> byPatient = new LinkedHashMap<>();
    for (AccessDecision decision : decisions) {
      if (decision.patients().isEmpty()) {
        byPatient.computeIfAbsent(null, p -> new ArrayList<>()).add(decision);
      }
      for (String patient : decision.patients()) {
        byPatient.computeIfAbsent(patient, p -> new ArrayList<>()).add(decision);
      }
    }
    List<AuditEvent> events = new ArrayList<>(byPatient.size());
    byPatient.forEach((patient, group) -> events.add(event(request, patient, group, at)));
    return events;
  }

  /** The id of the patient an event is about, or null for data of no patient. */
  static String patientOf(AuditEvent event) {
    for (AuditEventEntityComponent entity : event.getEntity()) {
      if (OBJECT_ROLE.equals(entity.getRole().getSystem())
          && "1".equals(entity.getRole().getCode())) {
        return entity.getWhat().getReferenceElement().getIdPart();
      }
    }
    return null;
  }

  private static AuditEvent event(
      AccessRequestInfo request, String patient, List<AccessDecision> decisions, Instant at) {
    AuditEvent event = new AuditEvent();
    event.setId(UUID.randomUUID().toString());
    event.getMeta().setVersionId("1").setLastUpdated(Date.from(at));
    event.setType(new Coding(EVENT_TYPE, "rest", "Restful Operation"));
    event.addSubtype(new Coding(INTERACTION, request.interaction(), null));
    event.setAction(
        request.interaction().startsWith("search") || request.interaction().equals("operation")
            ? AuditEventAction.E
            : AuditEventAction.R);
    event.setRecorded(Date.from(at));
    long denied = decisions.stream().filter(d -> !d.decision().permitted()).count();
    event.setOutcome(denied == 0 ? AuditEventOutcome._0 : AuditEventOutcome._4);
    event.setOutcomeDesc(
        (decisions.size() - denied) + " permitted, " + denied + " denied by consent");
    for (String purpose : request.purposes().stream().sorted().toList()) {
      event.addPurposeOfEvent(new CodeableConcept(new Coding(PURPOSE, purpose, null)));
    }
    addAgents(event, request);
    event
        .getSource()
        .setObserver(new Reference().setDisplay("Chartproof FHIR server"))
        .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
    if (patient != null) {
      AuditEventEntityComponent subject = event.addEntity();
      subject.setWhat(new Reference(patient));
      subject.setType(new Coding(ENTITY_TYPE, "1", "Person"));
      subject.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
    }
    String ruleVersion = null;
    for (AccessDecision decision : decisions) {
      event.addEntity(entity(decision, request));
      ruleVersion = decision.decision().ruleVersion();
    }
    if (ruleVersion != null) {
      event.addExtension(RULE_VERSION, new StringType(ruleVersion));
    }
    return event;
  }

  private static void addAgents(AuditEvent event, AccessRequestInfo request) {
    AccessIdentity identity = request.identity();
    AuditEventAgentComponent client = event.addAgent();
    client.setType(new CodeableConcept(new Coding(DICOM, "110150", "Application")));
    client.setWho(
        new Reference()
            .setIdentifier(new Identifier().setSystem(CLIENT_ID).setValue(identity.clientId())));
    client.setRequestor(identity.fhirUser() == null);
    if (identity.fhirUser() != null) {
      AuditEventAgentComponent user = event.addAgent();
      user.setType(new CodeableConcept(new Coding(DICOM, "110153", "Source Role ID")));
      user.setWho(new Reference(identity.fhirUser()));
      user.setAltId(identity.subject());
      user.setRequestor(true);
    }
    if (identity.organization() != null) {
      AuditEventAgentComponent organization = event.addAgent();
      organization.setType(
          new CodeableConcept(new Coding(PARTICIPATION, "PROV", "healthcare provider")));
      organization.setWho(new Reference(identity.organization()));
      organization.setRequestor(false);
    }
    for (AuditEventAgentComponent agent : event.getAgent()) {
      if (agent.getRequestor()) {
        for (String purpose : request.purposes().stream().sorted().toList()) {
          agent.addPurposeOfUse(new CodeableConcept(new Coding(PURPOSE, purpose, null)));
        }
      }
    }
  }

  private static AuditEventEntityComponent entity(
      AccessDecision access, AccessRequestInfo request) {
    Decision decision = access.decision();
    AuditEventEntityComponent entity = new AuditEventEntityComponent();
    entity.setWhat(new Reference(access.resource()));
    entity.setType(new Coding(ENTITY_TYPE, "2", "System Object"));
    entity.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
    entity
        .addDetail()
        .setType("decision")
        .setValue(new StringType(decision.permitted() ? "permit" : "deny"));
    entity.addDetail().setType("reason").setValue(new StringType(decision.reason().toString()));
    if (!access.consents().isEmpty()) {
      entity
          .addDetail()
          .setType("consents")
          .setValue(new StringType(String.join(" ", access.consents())));
    }
    if (!decision.redactLabels().isEmpty()) {
      entity
          .addDetail()
          .setType("redacted")
          .setValue(
              new StringType(
                  String.join(
                      " ",
                      decision.redactLabels().stream()
                          .map(code -> code.system() + "|" + code.code())
                          .sorted()
                          .toList())));
    }
    if (decision.breakGlass()) {
      entity
          .addDetail()
          .setType("break-glass")
          .setValue(new StringType(request.breakGlassJustification()));
    }
    return entity;
  }
}
