package org.chartproof.server.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.chartproof.consent.Decision;
import org.chartproof.ledger.entry.CanonicalJson;
import org.chartproof.server.auth.AccessIdentity;

/**
 * Turns one request's consent decisions into AuditEvents in the shape of IHE Basic Audit Log
 * Patterns (BALP) "Read"/"Query" events: one per patient whose data was decided (and one for data
 * of no patient), naming who asked (user, client, organization), why (purpose of use), every
 * resource version decided with its verdict, reason and the Consent versions it was decided from,
 * the rule version, and break-glass with its justification. See docs/audit.md.
 *
 * <p>The events are written directly as RFC 8785 canonical FHIR JSON ({@link CanonicalJson}), the
 * form their ledger commitment is computed over: rendering them with HAPI's parser and then
 * canonicalizing the text cost more than the read they record. {@code AuditEventsTest} checks that
 * HAPI reads each event and writes it back to the same canonical JSON, so what is served is what
 * was committed to.
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

  /** An event as written: its id, the patient it is about (null: none) and its JSON. */
  record Event(String id, String patient, CanonicalJson.Obj json) {}

  // the parts that are the same in every event, rendered once
  private static final CanonicalJson.Fixed REST =
      coding(EVENT_TYPE, "rest", "Restful Operation").fix();
  private static final CanonicalJson.Fixed SOURCE =
      CanonicalJson.object()
          .put("observer", CanonicalJson.object().put("display", "Chartproof FHIR server"))
          .add("type", coding(SOURCE_TYPE, "4", "Application Server"))
          .fix();
  private static final CanonicalJson.Fixed PERSON = coding(ENTITY_TYPE, "1", "Person").fix();
  private static final CanonicalJson.Fixed PATIENT = coding(OBJECT_ROLE, "1", "Patient").fix();
  private static final CanonicalJson.Fixed SYSTEM_OBJECT =
      coding(ENTITY_TYPE, "2", "System Object").fix();
  private static final CanonicalJson.Fixed DOMAIN_RESOURCE =
      coding(OBJECT_ROLE, "4", "Domain Resource").fix();
  private static final CanonicalJson.Fixed APPLICATION =
      concept(DICOM, "110150", "Application").fix();
  private static final CanonicalJson.Fixed SOURCE_ROLE_ID =
      concept(DICOM, "110153", "Source Role ID").fix();
  private static final CanonicalJson.Fixed PROVIDER =
      concept(PARTICIPATION, "PROV", "healthcare provider").fix();
  private static final CanonicalJson.Fixed PERMIT = detail("decision", "permit").fix();
  private static final CanonicalJson.Fixed DENY = detail("decision", "deny").fix();

  /** Subtypes by interaction: HAPI's interaction codes, a closed set. */
  private static final Map<String, CanonicalJson.Fixed> SUBTYPES = new ConcurrentHashMap<>();

  /** Rule-version extensions by rule version: one per version of the engine's code. */
  private static final Map<String, CanonicalJson.Fixed> RULE_VERSIONS = new ConcurrentHashMap<>();

  /** {@code instant} values as HAPI writes them: milliseconds, UTC. */
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private AuditEvents() {}

  /**
   * The AuditEvents for {@code decisions}, grouped by patient in the order first decided.
   *
   * @param at when the decisions were made (the events' {@code recorded})
   */
  static List<Event> of(AccessRequestInfo request, List<AccessDecision> decisions, Instant at) {
    Map<String, List<AccessDecision>> byPatient = new LinkedHashMap<>();
    for (AccessDecision decision : decisions) {
      if (decision.patients().isEmpty()) {
        byPatient.computeIfAbsent(null, p -> new ArrayList<>()).add(decision);
      }
      for (String patient : decision.patients()) {
        byPatient.computeIfAbsent(patient, p -> new ArrayList<>()).add(decision);
      }
    }
    String recorded = INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
    List<Event> events = new ArrayList<>(byPatient.size());
    byPatient.forEach(
        (patient, group) -> {
          String id = UUID.randomUUID().toString();
          events.add(
              new Event(
                  id,
                  patient == null ? null : patient.substring(patient.indexOf('/') + 1),
                  event(id, request, patient, group, recorded)));
        });
    return events;
  }

  private static CanonicalJson.Obj event(
      String id,
      AccessRequestInfo request,
      String patient,
      List<AccessDecision> decisions,
      String recorded) {
    CanonicalJson.Obj event =
        CanonicalJson.object()
            .put("resourceType", "AuditEvent")
            .put("id", id)
            .put("meta", CanonicalJson.object().put("versionId", "1").put("lastUpdated", recorded))
            .put("type", REST)
            .add(
                "subtype",
                SUBTYPES.computeIfAbsent(
                    request.interaction(), code -> coding(INTERACTION, code, null).fix()))
            .put(
                "action",
                request.interaction().startsWith("search")
                        || request.interaction().equals("operation")
                    ? "E"
                    : "R")
            .put("recorded", recorded);
    long denied = decisions.stream().filter(d -> !d.decision().permitted()).count();
    event.put("outcome", denied == 0 ? "0" : "4");
    event.put(
        "outcomeDesc",
        (decisions.size() - denied) + " permitted, " + denied + " denied by consent");
    List<String> purposes = request.purposes().stream().sorted().toList();
    for (String purpose : purposes) {
      event.add("purposeOfEvent", concept(PURPOSE, purpose, null));
    }
    addAgents(event, request.identity(), purposes);
    event.put("source", SOURCE);
    if (patient != null) {
      event.add(
          "entity",
          CanonicalJson.object()
              .put("what", reference(patient))
              .put("type", PERSON)
              .put("role", PATIENT));
    }
    String ruleVersion = null;
    for (AccessDecision decision : decisions) {
      event.add("entity", entity(decision, request));
      ruleVersion = decision.decision().ruleVersion();
    }
    if (ruleVersion != null) {
      event.add(
          "extension",
          RULE_VERSIONS.computeIfAbsent(
              ruleVersion,
              version ->
                  CanonicalJson.object()
                      .put("url", RULE_VERSION)
                      .put("valueString", version)
                      .fix()));
    }
    return event;
  }

  private static void addAgents(
      CanonicalJson.Obj event, AccessIdentity identity, List<String> purposes) {
    boolean userAsks = identity.fhirUser() != null;
    event.add(
        "agent",
        agent(APPLICATION, !userAsks, purposes)
            .put(
                "who",
                CanonicalJson.object()
                    .put(
                        "identifier",
                        CanonicalJson.object()
                            .put("system", CLIENT_ID)
                            .put("value", identity.clientId()))));
    if (userAsks) {
      event.add(
          "agent",
          agent(SOURCE_ROLE_ID, true, purposes)
              .put("who", reference(identity.fhirUser()))
              .put("altId", identity.subject()));
    }
    if (identity.organization() != null) {
      event.add(
          "agent", agent(PROVIDER, false, purposes).put("who", reference(identity.organization())));
    }
  }

  /** An agent; the requestor carries the purposes of use. */
  private static CanonicalJson.Obj agent(
      CanonicalJson.Fixed type, boolean requestor, List<String> purposes) {
    CanonicalJson.Obj agent = CanonicalJson.object().put("type", type).put("requestor", requestor);
    if (requestor) {
      for (String purpose : purposes) {
        agent.add("purposeOfUse", concept(PURPOSE, purpose, null));
      }
    }
    return agent;
  }

  private static CanonicalJson.Obj entity(AccessDecision access, AccessRequestInfo request) {
    Decision decision = access.decision();
    CanonicalJson.Obj entity =
        CanonicalJson.object()
            .put("what", reference(access.resource()))
            .put("type", SYSTEM_OBJECT)
            .put("role", DOMAIN_RESOURCE)
            .add("detail", decision.permitted() ? PERMIT : DENY)
            .add("detail", detail("reason", decision.reason().toString()));
    if (!access.consents().isEmpty()) {
      entity.add("detail", detail("consents", String.join(" ", access.consents())));
    }
    if (!decision.redactLabels().isEmpty()) {
      entity.add(
          "detail",
          detail(
              "redacted",
              String.join(
                  " ",
                  decision.redactLabels().stream()
                      .map(code -> code.system() + "|" + code.code())
                      .sorted()
                      .toList())));
    }
    if (decision.breakGlass()) {
      entity.add("detail", detail("break-glass", request.breakGlassJustification()));
    }
    return entity;
  }

  private static CanonicalJson.Obj detail(String type, String value) {
    return CanonicalJson.object().put("type", type).put("valueString", value);
  }

  private static CanonicalJson.Obj reference(String reference) {
    return CanonicalJson.object().put("reference", reference);
  }

  private static CanonicalJson.Obj coding(String system, String code, String display) {
    return CanonicalJson.object().put("system", system).put("code", code).put("display", display);
  }

  private static CanonicalJson.Obj concept(String system, String code, String display) {
    return CanonicalJson.object().add("coding", coding(system, code, display));
  }
}
