package org.chartproof.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.server.auth.AuthTestKit.database;
import static org.chartproof.server.auth.AuthTestKit.rsaKey;
import static org.chartproof.server.auth.AuthTestKit.serveJwks;
import static org.chartproof.server.auth.AuthTestKit.sign;
import static org.chartproof.server.auth.AuthTestKit.tempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tokens from an external OpenID Connect issuer (this test plays it: its own key, its JWK Set
 * served over HTTP, Entra-style claims {@code scp} and {@code azp}), and a patient token confined
 * to its patient's compartment over every path that has leaked in other FHIR servers: direct reads,
 * searches, {@code _include}, {@code _revinclude}, {@code $everything}, history and transaction
 * bundles. On PostgreSQL.
 */
// closed after the class, while its database still runs (TestPostgres stops it at JVM exit)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "chartproof.auth.mode=external",
      // authorization is under test: patients without Consents share (docs/adr/0007)
      "chartproof.consent.base-policy=opt-out"
    })
class ExternalIssuerPatientIT {

  private static final String ISSUER = "https://idp.example.test/realms/hospital";
  private static final String AUDIENCE = "https://fhir.example.test/fhir";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static final RSAKey IDP_KEY = rsaKey("idp-1");
  private static final HttpServer JWKS = serveJwks(IDP_KEY, "certs");
  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final Path DATA_DIR = tempDir("chartproof-external");

  @LocalServerPort int port;

  /**
   * Per test: two patients, each with an Observation; the first also one performed by the second.
   */
  String me;

  String other;
  String myObservation;
  String otherObservation;
  String practitioner;
  String otherFamily;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    database(registry, POSTGRES, DATA_DIR);
    registry.add("chartproof.auth.external.issuer-uri", () -> ISSUER);
    registry.add(
        "chartproof.auth.external.jwk-set-uri",
        () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/certs");
    registry.add("chartproof.auth.external.audience", () -> AUDIENCE);
    registry.add("chartproof.auth.external.token-endpoint", () -> ISSUER + "/token");
    registry.add("chartproof.auth.external.claims.scope", () -> "scp");
  }

  @AfterAll
  static void stop() throws Exception {
    JWKS.stop(0);
  }

  @BeforeEach
  void records() throws Exception {
    String system = token(null, "system/*.cruds", ISSUER, AUDIENCE, 300);
    String marker = UUID.randomUUID().toString().substring(0, 8);
    otherFamily = "Other" + marker;
    me = id(post("/fhir/Patient", system, patient("Me" + marker)));
    other = id(post("/fhir/Patient", system, patient(otherFamily)));
    practitioner =
        id(
            post(
                "/fhir/Practitioner",
                system,
                "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Doc\"}]}"));
    myObservation = id(post("/fhir/Observation", system, observation(me, null)));
    otherObservation =
        id(post("/fhir/Observation", system, observation(other, "Practitioner/" + practitioner)));
    // in my compartment (my observation) but pointing at the other patient
    id(post("/fhir/Observation", system, observation(me, "Patient/" + other)));
  }

  @Test
  void discoveryNamesTheExternalIssuer() throws Exception {
    JsonNode config = JSON.readTree(get("/fhir/.well-known/smart-configuration", null).body());
    assertThat(config.get("issuer").asText()).isEqualTo(ISSUER);
    assertThat(config.get("token_endpoint").asText()).isEqualTo(ISSUER + "/token");
  }

  @Test
  void tokensOfAnotherIssuerOrAudienceOrExpiredAreRefused() throws Exception {
    assertThat(
            get("/fhir/Patient/" + me, token(me, "patient/*.rs", ISSUER, AUDIENCE, 300))
                .statusCode())
        .isEqualTo(200);
    for (String bad :
        new String[] {
          token(me, "patient/*.rs", "https://evil.example", AUDIENCE, 300),
          token(me, "patient/*.rs", ISSUER, "https://other.example/fhir", 300),
          token(me, "patient/*.rs", ISSUER, AUDIENCE, -300)
        }) {
      HttpResponse<String> response = get("/fhir/Patient/" + me, bad);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }
    // patient/ scopes without a patient in context reach nothing
    assertThat(
            get("/fhir/Patient/" + me, token(null, "patient/*.rs", ISSUER, AUDIENCE, 300))
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void patientToken_readsAndSearchesOnlyItsOwnRecord() throws Exception {
    String mine = token(me, "patient/*.rs", ISSUER, AUDIENCE, 300);
    assertThat(get("/fhir/Patient/" + me, mine).statusCode()).isEqualTo(200);
    assertThat(get("/fhir/Observation/" + myObservation, mine).statusCode()).isEqualTo(200);
    assertThat(get("/fhir/Patient/" + other, mine).statusCode()).isEqualTo(403);
    assertThat(get("/fhir/Observation/" + otherObservation, mine).statusCode()).isEqualTo(403);

    HttpResponse<String> all = get("/fhir/Observation?_count=100", mine);
    assertThat(all.statusCode()).isEqualTo(200);
    JsonNode entries = JSON.readTree(all.body()).path("entry");
    assertThat(entries.size()).isEqualTo(2);
    entries.forEach(
        e -> assertThat(e.at("/resource/subject/reference").asText()).isEqualTo("Patient/" + me));

    HttpResponse<String> theirs = get("/fhir/Observation?subject=Patient/" + other, mine);
    assertThat(theirs.statusCode() == 403 || JSON.readTree(theirs.body()).path("entry").isEmpty())
        .as(theirs.body())
        .isTrue();
    assertNoLeak(theirs);
  }

  @Test
  void patientToken_cannotReachOthersThroughIncludesEverythingOrHistory() throws Exception {
    String mine = token(me, "patient/*.rs", ISSUER, AUDIENCE, 300);
    // _include of a reference from my record to the other patient
    assertNoLeak(get("/fhir/Observation?_include=Observation:performer", mine));
    // _revinclude through a shared resource to the other patient's records
    assertNoLeak(
        get("/fhir/Practitioner?_id=" + practitioner + "&_revinclude=Observation:performer", mine));
    HttpResponse<String> revinclude = get("/fhir/Patient?_revinclude=Observation:subject", mine);
    assertThat(revinclude.statusCode()).isEqualTo(200);
    assertNoLeak(revinclude);

    HttpResponse<String> everything = get("/fhir/Patient/" + me + "/$everything", mine);
    assertNoLeak(everything);
    assertThat(get("/fhir/Patient/" + other + "/$everything", mine).statusCode()).isEqualTo(403);

    assertThat(get("/fhir/Patient/" + me + "/_history", mine).statusCode()).isEqualTo(200);
    assertThat(get("/fhir/Patient/" + other + "/_history", mine).statusCode()).isEqualTo(403);
    assertThat(get("/fhir/Observation/_history", mine).statusCode()).isEqualTo(403);
    assertThat(get("/fhir/_history", mine).statusCode()).isEqualTo(403);
  }

  @Test
  void patientToken_cannotReadOthersDataInTypesOutsideTheCompartment() throws Exception {
    String system = token(null, "system/*.cruds", ISSUER, AUDIENCE, 300);
    String task =
        id(
            post(
                "/fhir/Task",
                system,
                "{\"resourceType\":\"Task\",\"status\":\"requested\",\"intent\":\"order\","
                    + "\"for\":{\"reference\":\"Patient/"
                    + other
                    + "\"}}"));
    String binary =
        id(
            post(
                "/fhir/Binary",
                system,
                "{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\"c2VjcmV0\"}"));
    String mine = token(me, "patient/*.rs", ISSUER, AUDIENCE, 300);
    assertThat(get("/fhir/Task/" + task, mine).statusCode()).isEqualTo(403);
    assertThat(get("/fhir/Binary/" + binary, mine).statusCode()).isEqualTo(403);
    assertThat(get("/fhir/Task?_count=100", mine).body()).doesNotContain(task);
    // shared types that records point to stay readable
    assertThat(get("/fhir/Practitioner/" + practitioner, mine).statusCode()).isEqualTo(200);
  }

  @Test
  void aPatientUserWithoutAPatientClaim_isStillConfinedToTheirRecord() throws Exception {
    // fhirUser says who the user is; user/ scopes must not open every record to a patient
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("user-" + me)
            .audience(AUDIENCE)
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .claim("scp", "user/*.rs")
            .claim("azp", "portal")
            .claim("fhirUser", "https://fhir.example.test/fhir/Patient/" + me)
            .build();
    String token = sign(IDP_KEY, JWSAlgorithm.RS256, claims);
    assertThat(get("/fhir/Patient/" + other, token).statusCode()).isEqualTo(403);
    assertNoLeak(get("/fhir/Observation?_count=100", token));
  }

  @Test
  void patientToken_writesOnlyIntoItsOwnRecord() throws Exception {
    String writer = token(me, "patient/*.rs patient/Observation.c", ISSUER, AUDIENCE, 300);
    assertThat(post("/fhir/Observation", writer, observation(me, null)).statusCode())
        .isEqualTo(201);
    assertThat(post("/fhir/Observation", writer, observation(other, null)).statusCode())
        .isEqualTo(403);

    String bundle =
        """
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"resource":%s,"request":{"method":"POST","url":"Observation"}},
          {"resource":%s,"request":{"method":"POST","url":"Observation"}}]}
        """
            .formatted(observation(me, null), observation(other, null));
    HttpResponse<String> refused = post("/fhir", writer, bundle);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    String system = token(null, "system/*.cruds", ISSUER, AUDIENCE, 300);
    JsonNode theirs =
        JSON.readTree(get("/fhir/Observation?subject=Patient/" + other, system).body());
    assertThat(theirs.path("entry").size())
        .as("nothing of the refused bundle was written")
        .isEqualTo(1);
  }

  // ---- helpers ----

  private void assertNoLeak(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isIn(200, 403);
    assertThat(response.body())
        .doesNotContain(otherFamily)
        .doesNotContain("Observation/" + otherObservation + "\"")
        .doesNotContain("\"id\":\"" + otherObservation + "\"")
        .doesNotContain("\"id\":\"" + other + "\"");
  }

  private static String token(
      String patient, String scopes, String issuer, String audience, long validSeconds)
      throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(patient == null ? "lab-system" : "user-" + patient)
            .audience(audience)
            .issueTime(Date.from(now.minusSeconds(Math.max(0, -validSeconds) + 10)))
            .expirationTime(Date.from(now.plusSeconds(validSeconds)))
            .claim("scp", scopes)
            .claim("azp", patient == null ? "lab-system" : "patient-app");
    if (patient != null) {
      claims.claim("patient", patient);
    }
    return sign(IDP_KEY, JWSAlgorithm.RS256, claims.build());
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return AuthTestKit.get("http://127.0.0.1:" + port + path, token);
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return AuthTestKit.post("http://127.0.0.1:" + port + path, token, json);
  }

  private static String patient(String family) {
    return "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}";
  }

  private static String observation(String subject, String performer) {
    return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hr\"},"
        + "\"subject\":{\"reference\":\"Patient/"
        + subject
        + "\"}"
        + (performer == null ? "" : ",\"performer\":[{\"reference\":\"" + performer + "\"}]")
        + ",\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}}";
  }

  private static String id(HttpResponse<String> created) throws IOException {
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asText();
  }
}
