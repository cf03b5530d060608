package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.server.auth.AuthTestKit.get;
import static org.chartproof.server.auth.AuthTestKit.post;
import static org.chartproof.server.consent.ConsentTestKit.ACCESS;
import static org.chartproof.server.consent.ConsentTestKit.JSON;
import static org.chartproof.server.consent.ConsentTestKit.bundle;
import static org.chartproof.server.consent.ConsentTestKit.delete;
import static org.chartproof.server.consent.ConsentTestKit.idOf;
import static org.chartproof.server.consent.ConsentTestKit.ids;
import static org.chartproof.server.consent.ConsentTestKit.location;
import static org.chartproof.server.consent.ConsentTestKit.recipient;
import static org.chartproof.server.consent.ConsentTestKit.resourceClass;
import static org.chartproof.server.consent.ConsentTestKit.withId;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AuthTestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Patients' Consents enforced over HTTP with real tokens on PostgreSQL, deny by default (base
 * policy opt-in): a lab organization's system reads only the laboratory Observations its patient's
 * Consent grants it, in reads, searches (no short pages, no totals), $everything, _include and
 * transaction GETs; the patient's revocation takes effect on the very next request; only the
 * patient writes their Consents.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "server.address=127.0.0.1",
      "chartproof.auth.mode=embedded",
      "chartproof.consent.base-policy=opt-in"
    })
class ConsentEnforcementIT {

  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final Path DATA_DIR = AuthTestKit.tempDir("chartproof-consent");
  private static final int PORT = AuthTestKit.freePort();
  private static final String BASE = "http://127.0.0.1:" + PORT;
  private static final String FHIR = BASE + "/fhir";
  private static final RSAKey EHR_KEY = AuthTestKit.rsaKey("ehr-1");
  private static final RSAKey LAB_KEY = AuthTestKit.rsaKey("lab-1");
  private static final String REDIRECT = "http://127.0.0.1/callback";
  private static final String PATIENT_SCOPES = "openid fhirUser launch/patient patient/*.cruds";

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    AuthTestKit.address(registry, PORT);
    AuthTestKit.database(registry, POSTGRES, DATA_DIR);
    registry.add("chartproof.auth.clients[0].client-id", () -> "ehr");
    registry.add(
        "chartproof.auth.clients[0].jwks", () -> new JWKSet(EHR_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.clients[0].scopes[0]", () -> "system/*.cruds");
    registry.add("chartproof.auth.clients[0].organization", () -> "Organization/hospital");
    registry.add("chartproof.auth.clients[1].client-id", () -> "lab-system");
    registry.add(
        "chartproof.auth.clients[1].jwks", () -> new JWKSet(LAB_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.clients[1].scopes[0]", () -> "system/Observation.rs");
    registry.add("chartproof.auth.clients[1].scopes[1]", () -> "system/Patient.rs");
    registry.add("chartproof.auth.clients[1].organization", () -> "Organization/lab");
    registry.add("chartproof.auth.users[0].username", () -> "alice");
    registry.add(
        "chartproof.auth.users[0].password-hash",
        () -> PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("alice-secret"));
    registry.add("chartproof.auth.users[0].fhir-user", () -> "Patient/pt-alice");
    registry.add("chartproof.auth.apps[0].client-id", () -> "phr");
    registry.add("chartproof.auth.apps[0].redirect-uris[0]", () -> REDIRECT);
    registry.add("chartproof.auth.apps[0].scopes", () -> PATIENT_SCOPES.replace(' ', ','));
  }

  @BeforeEach
  void records() throws Exception {
    String ehr = systemToken(EHR_KEY, "ehr", "system/*.cruds");
    put(ehr, "Organization/lab", "{\"resourceType\":\"Organization\",\"id\":\"lab\"}");
    for (String patient : new String[] {"pt-alice", "pt-bob"}) {
      put(
          ehr,
          "Patient/" + patient,
          "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\",\"gender\":\"female\"}");
    }
    observation(ehr, "alice-lab-1", "pt-alice", "laboratory");
    observation(ehr, "alice-lab-2", "pt-alice", "laboratory");
    observation(ehr, "alice-vital", "pt-alice", "vital-signs");
    observation(ehr, "bob-lab", "pt-bob", "laboratory");
  }

  @Test
  void lab_readsOnlyWhatTheConsentGrants_untilThePatientRevokesIt() throws Exception {
    String lab = systemToken(LAB_KEY, "lab-system", "system/Observation.rs system/Patient.rs");
    String alice =
        new AppLogin(BASE, "phr", REDIRECT).accessToken("alice", "alice-secret", PATIENT_SCOPES);

    // opt-in: nothing is shared before the patient consents; she always sees her own record
    assertThat(get(FHIR + "/Observation/alice-lab-1", lab).statusCode()).isEqualTo(404);
    assertThat(get(FHIR + "/Observation/alice-vital", alice).statusCode()).isEqualTo(200);

    HttpResponse<String> created = post(FHIR + "/Consent", alice, consent("active"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String consentUrl = location(created);

    // reads: the granted laboratory results only; denied ones look like unknown resources
    HttpResponse<String> granted = get(FHIR + "/Observation/alice-lab-1", lab);
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
    HttpResponse<String> vital = get(FHIR + "/Observation/alice-vital", lab);
    assertThat(vital.statusCode()).isEqualTo(404);
    assertThat(vital.body()).doesNotContain("vital-signs");
    assertThat(get(FHIR + "/Observation/bob-lab", lab).statusCode()).isEqualTo(404);
    assertThat(get(FHIR + "/Patient/pt-alice", lab).statusCode()).isEqualTo(404);

    // searches: decided before paging, so pages are full and nothing counts the hidden ones
    JsonNode search = bundle(get(FHIR + "/Observation?subject=Patient/pt-alice", lab));
    assertThat(ids(search)).containsExactlyInAnyOrder("alice-lab-1", "alice-lab-2");
    assertThat(search.has("total")).as("Bundle.total is never sent").isFalse();
    assertThat(pagedIds(FHIR + "/Observation?subject=Patient/pt-alice&_count=1", lab))
        .containsExactlyInAnyOrder("alice-lab-1", "alice-lab-2");
    assertThat(ids(bundle(get(FHIR + "/Observation?code=http://loinc.org%7C1234-5", lab))))
        .containsExactlyInAnyOrder("alice-lab-1", "alice-lab-2");
    assertThat(
            get(FHIR + "/Observation?subject=Patient/pt-alice&_total=accurate", lab).statusCode())
        .isEqualTo(400);
    assertThat(get(FHIR + "/Observation?subject=Patient/pt-alice&_summary=count", lab).statusCode())
        .isEqualTo(400);

    // _include, $everything and transaction GETs go through the same decisions
    JsonNode included =
        bundle(
            get(FHIR + "/Observation?subject=Patient/pt-alice&_include=Observation:subject", lab));
    assertThat(ids(included)).containsExactlyInAnyOrder("alice-lab-1", "alice-lab-2");
    JsonNode everything = bundle(get(FHIR + "/Patient/pt-alice/$everything", lab));
    assertThat(ids(everything)).doesNotContain("alice-vital", "pt-alice");
    assertThat(ids(everything)).contains("alice-lab-1", "alice-lab-2");
    JsonNode transaction =
        bundle(
            post(
                FHIR,
                lab,
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                    + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation/alice-vital\"}},"
                    + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation/alice-lab-1\"}}]}"));
    assertThat(transaction.get("entry").get(0).get("response").get("status").asText())
        .startsWith("404");
    assertThat(transaction.get("entry").get(1).get("resource").get("id").asText())
        .isEqualTo("alice-lab-1");
    assertThat(transaction.toString()).doesNotContain("vital-signs");

    // history: one resource's versions are decided; type history would be filtered after paging
    assertThat(ids(bundle(get(FHIR + "/Observation/alice-vital/_history", lab)))).isEmpty();
    assertThat(get(FHIR + "/Observation/_history", lab).statusCode()).isEqualTo(403);

    // the patient revokes: the very next request is refused
    HttpResponse<String> revoked =
        put(alice, consentUrl, withId(consent("inactive"), idOf(consentUrl)));
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(get(FHIR + "/Observation/alice-lab-1", lab).statusCode()).isEqualTo(404);
    assertThat(ids(bundle(get(FHIR + "/Observation?subject=Patient/pt-alice", lab)))).isEmpty();
    assertThat(get(FHIR + "/Observation/alice-lab-1", alice).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyThePatientWritesTheirConsents() throws Exception {
    String ehr = systemToken(EHR_KEY, "ehr", "system/*.cruds");
    String alice =
        new AppLogin(BASE, "phr", REDIRECT).accessToken("alice", "alice-secret", PATIENT_SCOPES);

    HttpResponse<String> byEhr = post(FHIR + "/Consent", ehr, consent("active"));
    assertThat(byEhr.statusCode()).as(byEhr.body()).isEqualTo(403);
    assertThat(byEhr.body()).contains("OperationOutcome").contains("Only the patient");

    HttpResponse<String> draft = post(FHIR + "/Consent", alice, consent("draft"));
    assertThat(draft.statusCode()).as(draft.body()).isEqualTo(201);
    String url = location(draft);
    String body = withId(consent("active"), idOf(url));
    assertThat(put(ehr, url, body).statusCode()).isEqualTo(403);
    assertThat(delete(ehr, url).statusCode()).isEqualTo(403);
    assertThat(delete(alice, url).statusCode()).isIn(200, 204);
  }

  // ---- data and HTTP ----

  private static String consent(String status) {
    return ConsentTestKit.consent(
        status,
        "pt-alice",
        "OPTOUT",
        "{\"actor\":["
            + recipient("Organization/lab")
            + "],\"action\":["
            + ACCESS
            + "],\"class\":["
            + resourceClass("Observation")
            + "],\"code\":[{\"coding\":[{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/observation-category\","
            + "\"code\":\"laboratory\"}]}]}");
  }

  private static void observation(String token, String id, String patient, String category)
      throws Exception {
    put(token, "Observation/" + id, ConsentTestKit.observation(id, patient, category));
  }

  private static List<String> pagedIds(String url, String token) throws Exception {
    return ConsentTestKit.pagedIds(url, token, 1);
  }

  private static HttpResponse<String> put(String token, String url, String json) throws Exception {
    return ConsentTestKit.put(FHIR, token, url, json);
  }

  private static String systemToken(RSAKey key, String clientId, String scope) throws Exception {
    String assertion =
        AuthTestKit.clientAssertion(
            key,
            JWSAlgorithm.RS384,
            clientId,
            BASE + "/oauth2/token",
            Instant.now().plusSeconds(240),
            UUID.randomUUID().toString());
    String form =
        "grant_type=client_credentials&scope="
            + URLEncoder.encode(scope, StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion;
    HttpResponse<String> response =
        AuthTestKit.HTTP.send(
            HttpRequest.newBuilder(URI.create(BASE + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("access_token").asText();
  }
}
