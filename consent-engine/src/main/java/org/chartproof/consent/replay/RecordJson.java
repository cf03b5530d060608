package org.chartproof.consent.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.chartproof.consent.AccessRequest;
import org.chartproof.consent.BasePolicy;
import org.chartproof.consent.Code;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Policy;
import org.chartproof.consent.Reason;
import org.chartproof.consent.ReasonKind;
import org.chartproof.consent.Requester;
import org.chartproof.consent.ResourceFacts;
import org.chartproof.consent.Verdict;

/**
 * The JSON form of the engine's values in a {@link RecordedDecision}: canonical (object keys
 * sorted, set members sorted, absent values left out, no insignificant white space), so that a
 * record serialises to the same bytes every time. Reading throws {@link InvalidRecordException}.
 */
final class RecordJson {

  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private RecordJson() {}

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException("not JSON: " + e.getOriginalMessage());
    }
  }

  /** The canonical text of a JSON tree: keys sorted at every level. */
  static String canonical(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(Comparator.naturalOrder());
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }

  // ---- writing

  static ObjectNode policy(Policy policy) {
    ObjectNode out = NODES.objectNode();
    out.put("defaultBase", policy.defaultBase().name());
    out.put("breakGlassEnabled", policy.breakGlassEnabled());
    return out;
  }

  static ObjectNode request(AccessRequest request) {
    ObjectNode out = NODES.objectNode();
    Requester who = request.requester();
    ObjectNode requester = out.putObject("requester");
    putIf(requester, "fhirUser", who.fhirUser());
    putIf(requester, "organization", who.organization());
    putIf(requester, "clientId", who.clientId());
    requester.set("roles", codes(who.roles()));
    requester.set("memberOf", strings(who.memberOf()));
    out.put("patient", request.patient());
    out.put("action", request.action());
    out.set("purposes", strings(request.purposes()));
    ResourceFacts r = request.resource();
    ObjectNode resource = out.putObject("resource");
    resource.put("type", r.type());
    resource.put("id", r.id());
    putIf(resource, "versionId", r.versionId());
    resource.set("securityLabels", codes(r.securityLabels()));
    resource.set("codes", codes(r.codes()));
    resource.set("classes", codes(r.classes()));
    putIf(resource, "dataDate", r.dataDate() == null ? null : r.dataDate().toString());
    resource.set("authors", strings(r.authors()));
    resource.set("references", strings(r.references()));
    resource.set("referencedBy", strings(r.referencedBy()));
    putIf(out, "breakGlassJustification", request.breakGlassJustification());
    return out;
  }

  static ObjectNode decision(Decision decision) {
    ObjectNode out = NODES.objectNode();
    out.put("verdict", decision.verdict().name());
    ObjectNode reason = out.putObject("reason");
    reason.put("kind", decision.reason().kind().name());
    putIf(reason, "consent", decision.reason().consent());
    putIf(reason, "provision", decision.reason().provision());
    out.set("redactLabels", codes(decision.redactLabels()));
    out.put("breakGlass", decision.breakGlass());
    out.put("ruleVersion", decision.ruleVersion());
    return out;
  }

  private static void putIf(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static ArrayNode strings(Collection<String> values) {
    ArrayNode out = NODES.arrayNode();
    new TreeSet<>(values).forEach(out::add);
    return out;
  }

  private static ArrayNode codes(Collection<Code> values) {
    ArrayNode out = NODES.arrayNode();
    values.stream()
        .sorted(Comparator.comparing(Code::toString))
        .forEach(
            c -> {
              ObjectNode code = out.addObject();
              putIf(code, "system", c.system());
              code.put("code", c.code());
            });
    return out;
  }

  // ---- reading

  static Policy policy(JsonNode node) {
    return new Policy(
        enumOf(BasePolicy.class, text(node, "defaultBase")),
        required(node, "breakGlassEnabled").asBoolean());
  }

  static AccessRequest request(JsonNode node) {
    try {
      JsonNode who = required(node, "requester");
      Requester requester =
          new Requester(
              optional(who, "fhirUser"),
              optional(who, "organization"),
              optional(who, "clientId"),
              codes(who.get("roles")),
              strings(who.get("memberOf")));
      JsonNode r = required(node, "resource");
      String dataDate = optional(r, "dataDate");
      ResourceFacts resource =
          new ResourceFacts(
              text(r, "type"),
              text(r, "id"),
              optional(r, "versionId"),
              codes(r.get("securityLabels")),
              codes(r.get("codes")),
              codes(r.get("classes")),
              dataDate == null ? null : Instant.parse(dataDate),
              strings(r.get("authors")),
              strings(r.get("references")),
              strings(r.get("referencedBy")));
      return new AccessRequest(
          requester,
          text(node, "patient"),
          optional(node, "action"),
          strings(node.get("purposes")),
          resource,
          optional(node, "breakGlassJustification"));
    } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
      throw new InvalidRecordException("invalid request: " + e.getMessage());
    }
  }

  static Decision decision(JsonNode node) {
    try {
      JsonNode reason = required(node, "reason");
      return new Decision(
          enumOf(Verdict.class, text(node, "verdict")),
          new Reason(
              enumOf(ReasonKind.class, text(reason, "kind")),
              optional(reason, "consent"),
              optional(reason, "provision")),
          codes(node.get("redactLabels")),
          required(node, "breakGlass").asBoolean(),
          text(node, "ruleVersion"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidRecordException("invalid decision: " + e.getMessage());
    }
  }

  static Instant instant(JsonNode node, String name) {
    try {
      return Instant.parse(text(node, name));
    } catch (DateTimeParseException e) {
      throw new InvalidRecordException(name + " is not an instant like 2026-01-31T12:00:00Z");
    }
  }

  static JsonNode required(JsonNode node, String name) {
    JsonNode value = node == null ? null : node.get(name);
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("missing " + name);
    }
    return value;
  }

  static String text(JsonNode node, String name) {
    JsonNode value = required(node, name);
    if (!value.isTextual()) {
      throw new InvalidRecordException(name + " must be a string");
    }
    return value.asText();
  }

  private static String optional(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : text(node, name);
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new HashSet<>();
    if (array != null) {
      array.forEach(item -> out.add(item.asText()));
    }
    return out;
  }

  private static Set<Code> codes(JsonNode array) {
    Set<Code> out = new HashSet<>();
    if (array != null) {
      array.forEach(item -> out.add(new Code(optional(item, "system"), text(item, "code"))));
    }
    return out;
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("unknown " + type.getSimpleName() + ": " + name);
    }
  }
}
