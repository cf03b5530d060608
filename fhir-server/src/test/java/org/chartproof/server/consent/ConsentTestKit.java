package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.chartproof.server.auth.AuthTestKit;

/** What the consent end-to-end tests share: Consent and record JSON, HTTP, Bundle reading. */
final class ConsentTestKit {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  private ConsentTestKit() {}

  /**
   * A privacy Consent of {@code patient} ({@code pt-alice}) with base rule {@code policyRule}
   * (OPTIN, OPTOUT) and the root provision given as JSON.
   */
  static String consent(String status, String patient, String policyRule, String provision) {
    return "{\"resourceType\":\"Consent\",\"status\":\""
        + status
        + "\",\"scope\":{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
        + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
        + "\"patient\":{\"reference\":\"Patient/"
        + patient
        + "\"},\"policyRule\":{\"coding\":[{\"system\":\""
        + ACT_CODE
        + "\",\"code\":\""
        + policyRule
        + "\"}]},\"provision\":"
        + provision
        + "}";
  }

  /** The JSON of {@code consent} with {@code id} set, for an update. */
  static String withId(String consent, String id) {
    return consent.replace(
        "{\"resourceType\":\"Consent\",", "{\"resourceType\":\"Consent\",\"id\":\"" + id + "\",");
  }

  /** A provision's recipient: {@code reference} (Organization/lab) as PRCP. */
  static String recipient(String reference) {
    return "{\"role\":{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"PRCP\"}]},"
        + "\"reference\":{\"reference\":\""
        + reference
        + "\"}}";
  }

  /** A provision's action {@code access}. */
  static final String ACCESS =
      "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentaction\","
          + "\"code\":\"access\"}]}";

  /** A provision's class: the resource type {@code type}. */
  static String resourceClass(String type) {
    return "{\"system\":\"http://hl7.org/fhir/resource-types\",\"code\":\"" + type + "\"}";
  }

  /**
   * A provision that lets the organization {@code recipient} (Organization/lab) access the
   * patient's laboratory Observations: the exception both consent ITs grant the lab.
   */
  static String laboratoryObservationsFor(String recipient) {
    return "{\"actor\":["
        + recipient(recipient)
        + "],\"action\":["
        + ACCESS
        + "],\"class\":["
        + resourceClass("Observation")
        + "],\"code\":[{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/observation-category\","
        + "\"code\":\"laboratory\"}]}]}";
  }

  /** An Observation of {@code patient} in {@code category} (laboratory, vital-signs...). */
  static String observation(String id, String patient, String category) {
    return "{\"resourceType\":\"Observation\",\"id\":\""
        + id
        + "\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\""
        + category
        + "\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"1234-5\"}]},"
        + "\"subject\":{\"reference\":\"Patient/"
        + patient
        + "\"}}";
  }

  /** A Patient with a family name. */
  static String patient(String id, String family) {
    return "{\"resourceType\":\"Patient\",\"id\":\""
        + id
        + "\",\"gender\":\"female\",\"name\":[{\"family\":\""
        + family
        + "\"}]}";
  }

  static JsonNode bundle(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode bundle = JSON.readTree(response.body());
    assertThat(bundle.get("resourceType").asText()).isEqualTo("Bundle");
    return bundle;
  }

  /** The ids of a Bundle's entries' resources, OperationOutcomes left out. */
  static List<String> ids(JsonNode bundle) {
    List<String> ids = new ArrayList<>();
    bundle
        .path("entry")
        .forEach(
            e -> {
              if (e.has("resource")
                  && !"OperationOutcome".equals(e.get("resource").path("resourceType").asText())) {
                ids.add(e.get("resource").get("id").asText());
              }
            });
    return ids;
  }

  /** The ids of every page of a search, checking that no page but the last is short. */
  static List<String> pagedIds(String url, String token, int pageSize) throws Exception {
    List<String> all = new ArrayList<>();
    String next = url;
    while (next != null) {
      JsonNode page = bundle(AuthTestKit.get(next, token));
      List<String> ids = ids(page);
      next = null;
      for (JsonNode link : page.path("link")) {
        if (link.get("relation").asText().equals("next")) {
          next = link.get("url").asText();
        }
      }
      if (next != null) {
        assertThat(ids).as("a page before the last is full").hasSize(pageSize);
      }
      all.addAll(ids);
    }
    return all;
  }

  /** The resource URL (without _history) of a 201 Created. */
  static String location(HttpResponse<String> created) {
    String location = created.headers().firstValue("Location").orElseThrow();
    return location.substring(0, location.indexOf("/_history"));
  }

  static String idOf(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /**
   * PUT FHIR JSON to {@code url}, an absolute URL (answer returned as is) or a path under {@code
   * fhirBase} (the write must succeed).
   */
  static HttpResponse<String> put(String fhirBase, String token, String url, String json)
      throws Exception {
    String target = url.startsWith("http") ? url : fhirBase + "/" + url;
    HttpResponse<String> response =
        AuthTestKit.HTTP.send(
            HttpRequest.newBuilder(URI.create(target))
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (!url.startsWith("http")) {
      assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }
    return response;
  }

  static HttpResponse<String> delete(String token, String url) throws Exception {
    return AuthTestKit.HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .DELETE()
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET as FHIR JSON with extra headers (name, value, name, value...). */
  static HttpResponse<String> get(String url, String token, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .GET()
            .header("Accept", "application/fhir+json")
            .header("Cache-Control", "no-cache")
            .header("Authorization", "Bearer " + token);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return AuthTestKit.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
