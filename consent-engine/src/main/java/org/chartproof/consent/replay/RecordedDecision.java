package org.chartproof.consent.replay;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.chartproof.consent.AccessRequest;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Policy;
import org.hl7.fhir.r4.model.Consent;

/**
 * A decision with every input it was made from, as recorded by the server: the deployment policy,
 * the Consent resources (FHIR JSON, each with its id and meta.versionId), the request, {@code now}
 * and the decision with its reason and rule version. {@link #toJson()} gives the canonical JSON
 * form (docs/consent.md, "Replay"); {@link #fromJson(String)} reads it back.
 *
 * @param policy the deployment policy the engine ran with
 * @param consents the Consents as FHIR R4 JSON, in the order given to the engine
 * @param request the access request
 * @param now the instant of the decision
 * @param decision the recorded decision; its {@link Decision#ruleVersion()} is the record's
 */
public record RecordedDecision(
    Policy policy, List<String> consents, AccessRequest request, Instant now, Decision decision) {

  /** Validates and copies. */
  public RecordedDecision {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(decision, "decision");
    consents = List.copyOf(consents);
  }

  /** Records a decision, serialising the Consents with HAPI's R4 JSON parser. */
  public static RecordedDecision of(
      Policy policy,
      List<Consent> consents,
      AccessRequest request,
      Instant now,
      Decision decision) {
    IParser parser = parser();
    List<String> json = new ArrayList<>();
    for (Consent consent : consents) {
      json.add(parser.encodeResourceToString(consent));
    }
    return new RecordedDecision(policy, json, request, now, decision);
  }

  /** The rule version the decision was made under. */
  public String ruleVersion() {
    return decision.ruleVersion();
  }

  /** The Consents parsed back into HAPI's model; throws {@link InvalidRecordException}. */
  public List<Consent> parsedConsents() {
    IParser parser = parser();
    List<Consent> out = new ArrayList<>();
    for (String json : consents) {
      try {
        out.add(parser.parseResource(Consent.class, json));
      } catch (DataFormatException | ClassCastException e) {
        throw new InvalidRecordException("a recorded consent is not an R4 Consent");
      }
    }
    return out;
  }

  /** The canonical JSON of this record. */
  public String toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("policy", RecordJson.policy(policy));
    ArrayNode array = out.putArray("consents");
    for (String consent : consents) {
      array.add(RecordJson.parse(consent));
    }
    out.set("request", RecordJson.request(request));
    out.put("now", now.toString());
    out.set("decision", RecordJson.decision(decision));
    return RecordJson.canonical(out);
  }

  /** Reads a record; throws {@link InvalidRecordException} naming the field that is wrong. */
  public static RecordedDecision fromJson(String json) {
    JsonNode root = RecordJson.parse(json);
    if (!root.isObject()) {
      throw new InvalidRecordException("a recorded decision is a JSON object");
    }
    JsonNode consents = RecordJson.required(root, "consents");
    if (!consents.isArray()) {
      throw new InvalidRecordException("consents must be an array");
    }
    List<String> list = new ArrayList<>();
    consents.forEach(c -> list.add(RecordJson.canonical(c)));
    return new RecordedDecision(
        RecordJson.policy(RecordJson.required(root, "policy")),
        list,
        RecordJson.request(RecordJson.required(root, "request")),
        RecordJson.instant(root, "now"),
        RecordJson.decision(RecordJson.required(root, "decision")));
  }

  /** HAPI strips versions from references by default; a data reference may name one. */
  private static IParser parser() {
    return FhirContext.forR4Cached().newJsonParser().setStripVersionsFromReferences(false);
  }
}
