package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.server.consent.ConsentTestKit.ACCESS;
import static org.chartproof.server.consent.ConsentTestKit.ACT_CODE;
import static org.chartproof.server.consent.ConsentTestKit.JSON;
import static org.chartproof.server.consent.ConsentTestKit.bundle;
import static org.chartproof.server.consent.ConsentTestKit.consent;
import static org.chartproof.server.consent.ConsentTestKit.get;
import static org.chartproof.server.consent.ConsentTestKit.idOf;
import static org.chartproof.server.consent.ConsentTestKit.ids;
import static org.chartproof.server.consent.ConsentTestKit.location;
import static org.chartproof.server.consent.ConsentTestKit.recipient;
import static org.chartproof.server.consent.ConsentTestKit.resourceClass;
import static org.chartproof.server.consent.ConsentTestKit.withId;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AuthTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Consent scenarios over HTTP on PostgreSQL, deny by default (base policy opt-in), with tokens of
 * an external issuer that this test plays (its key, its JWK Set served over HTTP): the claims a
 * hospital's identity provider puts in, purpose of use included, which Chartproof's embedded issuer
 * does not. Partial access (redaction by security label), break-glass, an insurer reading payment
 * data only, a revocation seen by a second server instance on the same database, and searches whose
 * criteria would look at hidden resources.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "server.address=127.0.0.1",
      "chartproof.auth.mode=external",
      "chartproof.consent.base-policy=opt-in"
    })
class ConsentScenariosIT {

  private static final String ISSUER = "https://idp.example.test/realms/hospital";
  private static final String AUDIENCE = "https://fhir.example.test/fhir";
  private static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  private static final String HIV_LABEL = "{\"system\":\"" + ACT_CODE + "\",\"code\":\"HIV\"}";
  private static final String INLINE_LABEL =
      "http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-inline-sec-label";
  private static final String REDACTED = "\"code\":\"REDACTED\"";
  private static final String JUSTIFICATION = "Break-Glass-Justification";

  private static final RSAKey IDP_KEY = AuthTestKit.rsaKey("idp-1");
  private static final HttpServer JWKS = AuthTestKit.serveJwks(IDP_KEY, "certs");
  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final Path DATA_DIR = AuthTestKit.tempDir("chartproof-consent-scenarios");
  private static final int PORT = AuthTestKit.freePort();
  private static final String FHIR = "http://127.0.0.1:" + PORT + "/fhir";

  /** A second server on the same database, break-glass off; started by the tests that use it. */
  private static ConfigurableApplicationContext second;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    AuthTestKit.database(registry, POSTGRES, DATA_DIR);
    registry.add("chartproof.auth.external.issuer-uri", () -> ISSUER);
    registry.add("chartproof.auth.external.jwk-set-uri", ConsentScenariosIT::jwksUrl);
    registry.add("chartproof.auth.external.audience", () -> AUDIENCE);
    registry.add("chartproof.auth.external.token-endpoint", () -> ISSUER + "/token");
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    JWKS.stop(0);
  }

  // ---- 1. partial access: redaction by security label ----

  @Test
  void lab_seesContentLabelledWithADeniedLabelRemoved_andUnlabelledContentIntact()
      throws Exception {
    String ehr = ehr();
    put(ehr, "Patient/pt-rd", ConsentTestKit.patient("pt-rd", "Redfern"));
    put(ehr, "DiagnosticReport/rd-report", report("rd-report", "pt-rd", true));
    put(ehr, "DiagnosticReport/rd-plain", report("rd-plain", "pt-rd", false));
    put(
        ehr,
        "Observation/rd-note",
        """
        {"resourceType":"Observation","id":"rd-note","status":"final","code":{"text":"Hb"},
         "subject":{"reference":"Patient/pt-rd"},
         "note":[{"text":"routine check"},
          {%s,"text":"partner HIV positive"}]}
        """
            .formatted(inlineLabel(HIV_LABEL)));
    put(
        ehr,
        "Observation/rd-hiv",
        """
        {"resourceType":"Observation","id":"rd-hiv","meta":{"security":[%s]},"status":"final",
         "code":{"text":"HIV-1 viral load"},"subject":{"reference":"Patient/pt-rd"}}
        """
            .formatted(HIV_LABEL));
    String patient = patientToken("pt-rd");
    // the lab may read the patient's reports and results, except what is labelled HIV
    post(
        patient,
        "Consent",
        consent(
            "active",
            "pt-rd",
            "OPTOUT",
            "{\"actor\":["
                + recipient("Organization/lab")
                + "],\"action\":["
                + ACCESS
                + "],\"class\":["
                + resourceClass("DiagnosticReport")
                + ","
                + resourceClass("Observation")
                + "],\"provision\":[{\"type\":\"deny\",\"securityLabel\":["
                + HIV_LABEL
                + "]}]}"));
    String lab = lab(null);

    HttpResponse<String> redacted = get(FHIR + "/DiagnosticReport/rd-report", lab);
    assertThat(redacted.statusCode()).as(redacted.body()).isEqualTo(200);
    assertThat(redacted.body())
        .doesNotContain("HIV-1 antibody")
        .doesNotContain("reactive")
        .doesNotContain("#hiv")
        .contains("Haemoglobin")
        .contains(REDACTED);
    JsonNode report = JSON.readTree(redacted.body());
    assertThat(report.has("text")).as("the narrative names what was removed").isFalse();
    assertThat(report.get("contained")).hasSize(1);
    assertThat(report.get("result")).hasSize(1);

    HttpResponse<String> intact = get(FHIR + "/DiagnosticReport/rd-plain", lab);
    assertThat(intact.statusCode()).as(intact.body()).isEqualTo(200);
    assertThat(intact.body()).contains("HIV-1 antibody").doesNotContain(REDACTED);
    assertThat(JSON.readTree(intact.body()).get("contained")).hasSize(2);

    // an element with an inline label goes; a resource labelled as a whole is not shown
    HttpResponse<String> note = get(FHIR + "/Observation/rd-note", lab);
    assertThat(note.statusCode()).as(note.body()).isEqualTo(200);
    assertThat(note.body()).doesNotContain("partner").contains("routine check").contains(REDACTED);
    assertThat(get(FHIR + "/Observation/rd-hiv", lab).statusCode()).isEqualTo(404);

    // searches, transaction GETs: the same copies
    JsonNode search = bundle(get(FHIR + "/DiagnosticReport?subject=Patient/pt-rd", lab));
    assertThat(ids(search)).containsExactlyInAnyOrder("rd-report", "rd-plain");
    for (JsonNode entry : search.get("entry")) {
      String resource = entry.get("resource").toString();
      if (entry.at("/resource/id").asText().equals("rd-report")) {
        assertThat(resource).doesNotContain("reactive").contains("Haemoglobin").contains(REDACTED);
      } else {
        assertThat(resource).contains("reactive").doesNotContain(REDACTED);
      }
    }
    HttpResponse<String> transaction =
        AuthTestKit.post(
            FHIR,
            lab,
            "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"DiagnosticReport/rd-report\"}}]}");
    assertThat(transaction.body()).contains("Haemoglobin").doesNotContain("reactive");

    // the stored resource is untouched: its patient reads all of it
    HttpResponse<String> own = get(FHIR + "/DiagnosticReport/rd-report", patient);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).contains("reactive").contains("HIV-1 antibody").doesNotContain(REDACTED);
  }

  /**
   * A report with two contained results, the first labelled HIV if {@code labelled}: inline, as R4
   * allows no meta.security on a contained resource (dom-5; HAPI drops a contained meta).
   */
  private static String report(String id, String patient, boolean labelled) {
    return """
        {"resourceType":"DiagnosticReport","id":"%s",
         "text":{"status":"generated",
           "div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">HIV-1 antibody, haemoglobin</div>"},
         "contained":[
          {"resourceType":"Observation","id":"hiv",%s"status":"final",
           "code":{"text":"HIV-1 antibody"},"valueString":"reactive"},
          {"resourceType":"Observation","id":"hb","status":"final",
           "code":{"text":"Haemoglobin"},"valueString":"normal"}],
         "status":"final","code":{"text":"Panel"},"subject":{"reference":"Patient/%s"},
         "result":[{"reference":"#hiv"},{"reference":"#hb"}]}
        """
        .formatted(id, labelled ? inlineLabel(HIV_LABEL) + "," : "", patient);
  }

  private static String inlineLabel(String label) {
    return "\"extension\":[{\"url\":\"" + INLINE_LABEL + "\",\"valueCoding\":" + label + "}]";
  }

  // ---- 2. break-glass ----

  @Test
  void breakGlass_emergencyTreatmentWithAJustification_readsWhatNoConsentPermits()
      throws Exception {
    String ehr = ehr();
    put(ehr, "Patient/pt-bg", ConsentTestKit.patient("pt-bg", "Brook"));
    put(ehr, "Observation/bg-obs", ConsentTestKit.observation("bg-obs", "pt-bg", "vital-signs"));
    String search = FHIR + "/Observation?subject=Patient/pt-bg";
    String why = "Unconscious in the emergency room";

    String emergency = practitioner("ETREAT");
    assertThat(get(FHIR + "/Observation/bg-obs", emergency, JUSTIFICATION, why).statusCode())
        .isEqualTo(200);
    assertThat(ids(bundle(get(search, emergency, JUSTIFICATION, why)))).containsExactly("bg-obs");
    String system = token("er-system", null, "Organization/er", "system/*.rs", "ETREAT");
    assertThat(get(FHIR + "/Observation/bg-obs", system, JUSTIFICATION, why).statusCode())
        .isEqualTo(200);

    // no Consent permits it: without a justification, or without ETREAT, it stays closed
    assertThat(get(FHIR + "/Observation/bg-obs", emergency).statusCode()).isEqualTo(404);
    assertThat(ids(bundle(get(search, emergency)))).isEmpty();
    assertThat(get(FHIR + "/Observation/bg-obs", emergency, JUSTIFICATION, "").statusCode())
        .isEqualTo(404);
    String treatment = practitioner("TREAT");
    assertThat(get(FHIR + "/Observation/bg-obs", treatment, JUSTIFICATION, why).statusCode())
        .isEqualTo(404);
    assertThat(ids(bundle(get(search, treatment, JUSTIFICATION, why)))).isEmpty();

    // the patient sees the emergency access in her access log, flagged with its justification
    String log =
        bundle(get(FHIR + "/AuditEvent?patient=Patient/pt-bg&_count=200", patientToken("pt-bg")))
            .toString();
    assertThat(log)
        .contains("{\"type\":\"break-glass\",\"valueString\":\"" + why + "\"}")
        .contains("BREAK_GLASS")
        .contains("\"code\":\"ETREAT\"");

    // chartproof.consent.break-glass=false (the second server): ETREAT is an ordinary purpose
    String other = "http://127.0.0.1:" + secondPort() + "/fhir";
    assertThat(get(other + "/Observation/bg-obs", emergency, JUSTIFICATION, why).statusCode())
        .isEqualTo(404);
    assertThat(
            ids(
                bundle(
                    get(
                        other + "/Observation?subject=Patient/pt-bg",
                        emergency,
                        JUSTIFICATION,
                        why))))
        .isEmpty();
  }

  // ---- 3. an insurer: payment data only, for payment only ----

  @Test
  void insurer_readsPaymentDataForPayment_andNothingClinicalOrForAnotherPurpose() throws Exception {
    String ehr = ehr();
    put(ehr, "Patient/pt-ins", ConsentTestKit.patient("pt-ins", "Inman"));
    put(
        ehr,
        "Coverage/ins-cov",
        "{\"resourceType\":\"Coverage\",\"id\":\"ins-cov\",\"status\":\"active\","
            + "\"beneficiary\":{\"reference\":\"Patient/pt-ins\"},"
            + "\"payor\":[{\"reference\":\"Organization/insurer\"}]}");
    put(
        ehr,
        "Encounter/ins-enc",
        "{\"resourceType\":\"Encounter\",\"id\":\"ins-enc\",\"status\":\"finished\","
            + "\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\","
            + "\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/pt-ins\"}}");
    put(
        ehr,
        "Claim/ins-claim",
        """
        {"resourceType":"Claim","id":"ins-claim","status":"active",
         "type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type",
           "code":"professional"}]},
         "use":"claim","patient":{"reference":"Patient/pt-ins"},"created":"2026-01-05",
         "provider":{"reference":"Organization/hospital"},
         "priority":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/processpriority",
           "code":"normal"}]},
         "insurance":[{"sequence":1,"focal":true,"coverage":{"reference":"Coverage/ins-cov"}}]}
        """);
    put(ehr, "Observation/ins-obs", ConsentTestKit.observation("ins-obs", "pt-ins", "laboratory"));
    post(
        patientToken("pt-ins"),
        "Consent",
        consent(
            "active",
            "pt-ins",
            "OPTOUT",
            "{\"actor\":["
                + recipient("Organization/insurer")
                + "],\"action\":["
                + ACCESS
                + "],\"purpose\":[{\"system\":\""
                + ACT_REASON
                + "\",\"code\":\"HPAYMT\"}],\"class\":["
                + resourceClass("Claim")
                + ","
                + resourceClass("ExplanationOfBenefit")
                + ","
                + resourceClass("Coverage")
                + ","
                + resourceClass("Encounter")
                + "]}"));

    String payment = insurer("HPAYMT");
    for (String granted : List.of("Claim/ins-claim", "Coverage/ins-cov", "Encounter/ins-enc")) {
      HttpResponse<String> read = get(FHIR + "/" + granted, payment);
      assertThat(read.statusCode()).as(granted + ": " + read.body()).isEqualTo(200);
    }
    assertThat(ids(bundle(get(FHIR + "/Claim?patient=Patient/pt-ins", payment))))
        .containsExactly("ins-claim");
    assertThat(ids(bundle(get(FHIR + "/Encounter?subject=Patient/pt-ins", payment))))
        .containsExactly("ins-enc");
    // nothing clinical, not even the patient's demographics
    HttpResponse<String> clinical = get(FHIR + "/Observation/ins-obs", payment);
    assertThat(clinical.statusCode()).isEqualTo(404);
    assertThat(clinical.body()).doesNotContain("1234-5");
    assertThat(ids(bundle(get(FHIR + "/Observation?subject=Patient/pt-ins", payment)))).isEmpty();
    assertThat(ids(bundle(get(FHIR + "/Observation?code=http://loinc.org%7C1234-5", payment))))
        .doesNotContain("ins-obs");
    assertThat(get(FHIR + "/Patient/pt-ins", payment).statusCode()).isEqualTo(404);
    List<String> everything = ids(bundle(get(FHIR + "/Patient/pt-ins/$everything", payment)));
    assertThat(everything).contains("ins-claim", "ins-cov", "ins-enc");
    assertThat(everything).doesNotContain("ins-obs", "pt-ins");

    // the same insurer for another purpose, or stating none, gets nothing
    for (String other : List.of(insurer("TREAT"), insurer(null))) {
      assertThat(get(FHIR + "/Claim/ins-claim", other).statusCode()).isEqualTo(404);
      assertThat(get(FHIR + "/Coverage/ins-cov", other).statusCode()).isEqualTo(404);
      assertThat(ids(bundle(get(FHIR + "/Claim?patient=Patient/pt-ins", other)))).isEmpty();
    }
  }

  // ---- 4. two server instances sharing one database ----

  @Test
  void revocationThroughOneInstance_holdsOnTheOtherFromTheVeryNextRequest() throws Exception {
    String ehr = ehr();
    put(ehr, "Patient/pt-two", ConsentTestKit.patient("pt-two", "Twain"));
    put(ehr, "Observation/two-lab", ConsentTestKit.observation("two-lab", "pt-two", "laboratory"));
    String patient = patientToken("pt-two");
    String grant =
        consent(
            "active",
            "pt-two",
            "OPTOUT",
            "{\"actor\":["
                + recipient("Organization/lab")
                + "],\"action\":["
                + ACCESS
                + "],\"class\":["
                + resourceClass("Observation")
                + "]}");
    String consentUrl = location(post(patient, "Consent", grant));
    String id = idOf(consentUrl);
    String lab = lab(null);
    String other = "http://127.0.0.1:" + secondPort() + "/fhir";
    String read = other + "/Observation/two-lab";
    String search = other + "/Observation?subject=Patient/pt-two";

    // the second instance caches the patient's Consents on a permitted read
    assertThat(get(read, lab).statusCode()).isEqualTo(200);
    assertThat(ids(bundle(get(search, lab)))).containsExactly("two-lab");

    // revoked through the first instance: the second denies on the very next request
    HttpResponse<String> revoked =
        ConsentTestKit.put(
            FHIR,
            patient,
            consentUrl,
            withId(grant.replace("\"status\":\"active\"", "\"status\":\"inactive\""), id));
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(get(read, lab).statusCode()).isEqualTo(404);
    assertThat(ids(bundle(get(search, lab)))).isEmpty();

    // granted again through the first: the second permits on the very next request
    HttpResponse<String> granted = ConsentTestKit.put(FHIR, patient, consentUrl, withId(grant, id));
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
    assertThat(get(read, lab).statusCode()).isEqualTo(200);
    assertThat(ids(bundle(get(search, lab)))).containsExactly("two-lab");
  }

  // ---- 5. searches whose criteria look at other resources ----

  @Test
  void chainedAndHasSearches_areRefused_reverseIncludesAreDecided() throws Exception {
    String ehr = ehr();
    put(ehr, "Patient/pt-ch", ConsentTestKit.patient("pt-ch", "Chainley"));
    put(
        ehr,
        "Practitioner/ch-doc",
        "{\"resourceType\":\"Practitioner\",\"id\":\"ch-doc\",\"name\":[{\"family\":\"Doc\"}]}");
    put(
        ehr,
        "Observation/ch-lab",
        ConsentTestKit.observation("ch-lab", "pt-ch", "laboratory")
            .replace(
                "\"subject\":",
                "\"performer\":[{\"reference\":\"Practitioner/ch-doc\"}],\"subject\":"));
    put(
        ehr,
        "Observation/ch-vital",
        ConsentTestKit.observation("ch-vital", "pt-ch", "vital-signs"));
    post(
        patientToken("pt-ch"),
        "Consent",
        consent(
            "active",
            "pt-ch",
            "OPTOUT",
            ConsentTestKit.laboratoryObservationsFor("Organization/lab")));
    String lab = lab(null);
    assertThat(ids(bundle(get(FHIR + "/Observation?subject=Patient/pt-ch", lab))))
        .containsExactly("ch-lab");
    assertThat(get(FHIR + "/Patient/pt-ch", lab).statusCode())
        .as("the lab may not read the patient's name")
        .isEqualTo(404);

    // criteria over resources the lab may not see: its name, whether a vital sign exists
    for (String refused :
        List.of(
            "/Observation?subject.name=Chainley",
            "/Observation?subject:Patient.family=Chainley",
            "/Observation?patient.name=Chainley",
            "/Observation?subject.organization.name=x",
            "/Patient?_has:Observation:subject:category=vital-signs",
            "/Observation?_has:Observation:derived-from:code=1234-5",
            "/Observation?code=1234-5&_sort=patient.family")) {
      HttpResponse<String> response = get(FHIR + refused, lab);
      assertThat(response.statusCode()).as(refused + ": " + response.body()).isEqualTo(403);
      assertThat(response.body()).contains("OperationOutcome").doesNotContain("ch-lab");
    }
    HttpResponse<String> posted =
        AuthTestKit.HTTP.send(
            HttpRequest.newBuilder(URI.create(FHIR + "/Observation/_search"))
                .header("Authorization", "Bearer " + lab)
                .header("Accept", "application/fhir+json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "subject.name=" + URLEncoder.encode("Chainley", StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(403);
    HttpResponse<String> inTransaction =
        AuthTestKit.post(
            FHIR,
            lab,
            "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation?subject.name=Chainley\"}}"
                + "]}");
    // HAPI answers a failed GET entry of a transaction in the entry
    assertThat(inTransaction.body()).doesNotContain("ch-lab");
    assertThat(bundle(inTransaction).get("entry").get(0).get("response").get("status").asText())
        .startsWith("403");

    // a chain into reference data, which no Consent hides, still works
    assertThat(ids(bundle(get(FHIR + "/Observation?performer:Practitioner.family=Doc", lab))))
        .containsExactly("ch-lab");
    // reverse includes are decided one by one
    JsonNode revinclude =
        bundle(get(FHIR + "/Practitioner?_id=ch-doc&_revinclude=Observation:performer", lab));
    assertThat(ids(revinclude)).containsExactlyInAnyOrder("ch-doc", "ch-lab");
    JsonNode fromPatient =
        bundle(get(FHIR + "/Patient?_id=pt-ch&_revinclude=Observation:subject", lab));
    assertThat(ids(fromPatient)).doesNotContain("pt-ch", "ch-vital");
  }

  // ---- tokens, as the hospital's identity provider issues them ----

  /** The EHR's token, after making sure the organizations that records point to exist. */
  private static String ehr() throws Exception {
    String ehr = token("ehr", null, "Organization/hospital", "system/*.cruds", null);
    for (String organization : List.of("hospital", "lab", "insurer")) {
      put(
          ehr,
          "Organization/" + organization,
          "{\"resourceType\":\"Organization\",\"id\":\"" + organization + "\"}");
    }
    return ehr;
  }

  private static String lab(String purpose) throws Exception {
    return token("lab-system", null, "Organization/lab", "system/*.rs", purpose);
  }

  private static String insurer(String purpose) throws Exception {
    return token("insurer-system", null, "Organization/insurer", "system/*.rs", purpose);
  }

  private static String practitioner(String purpose) throws Exception {
    return token("ehr-app", "Practitioner/dr-grey", null, "user/*.rs", purpose);
  }

  private static String patientToken(String patient) throws Exception {
    JWTClaimsSet.Builder claims = claims("phr", "user-" + patient, "patient/*.cruds");
    claims.claim("fhirUser", "Patient/" + patient).claim("patient", patient);
    return AuthTestKit.sign(IDP_KEY, JWSAlgorithm.RS256, claims.build());
  }

  private static String token(
      String client, String fhirUser, String organization, String scope, String purpose)
      throws Exception {
    JWTClaimsSet.Builder claims =
        claims(client, fhirUser == null ? client : "user-" + fhirUser, scope);
    if (fhirUser != null) {
      claims.claim("fhirUser", fhirUser);
    }
    if (organization != null) {
      claims.claim("organization", organization);
    }
    if (purpose != null) {
      claims.claim("purpose_of_use", List.of(purpose));
    }
    return AuthTestKit.sign(IDP_KEY, JWSAlgorithm.RS256, claims.build());
  }

  private static JWTClaimsSet.Builder claims(String client, String subject, String scope) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .audience(AUDIENCE)
        .issueTime(Date.from(now.minusSeconds(10)))
        .expirationTime(Date.from(now.plusSeconds(600)))
        .claim("scope", scope)
        .claim("client_id", client);
  }

  // ---- servers and HTTP ----

  private static String jwksUrl() {
    return "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/certs";
  }

  /**
   * The second instance's port: same database, data directory and token issuer as the first; it
   * refreshes its consent epoch only every second.
   */
  private static synchronized int secondPort() {
    if (second == null) {
      second =
          new SpringApplicationBuilder(ChartproofApplication.class)
              .run(
                  "--server.address=127.0.0.1",
                  "--server.port=0",
                  "--spring.datasource.url=" + POSTGRES.getJdbcUrl("postgres", "postgres"),
                  "--spring.datasource.username=postgres",
                  "--spring.datasource.password=",
                  "--chartproof.storage.data-dir=" + DATA_DIR,
                  "--chartproof.auth.mode=external",
                  "--chartproof.auth.external.issuer-uri=" + ISSUER,
                  "--chartproof.auth.external.jwk-set-uri=" + jwksUrl(),
                  "--chartproof.auth.external.audience=" + AUDIENCE,
                  "--chartproof.auth.external.token-endpoint=" + ISSUER + "/token",
                  "--chartproof.consent.base-policy=opt-in",
                  "--chartproof.consent.break-glass=false",
                  // it sees a new epoch up to a second late by itself: a write through the first
                  // instance answers only once it has (EpochLease)
                  "--chartproof.consent.epoch-refresh=1s",
                  "--chartproof.consent.epoch-lease=5s");
    }
    return Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
  }

  private static void put(String token, String path, String json) throws Exception {
    ConsentTestKit.put(FHIR, token, path, json);
  }

  private static HttpResponse<String> post(String token, String type, String json)
      throws Exception {
    HttpResponse<String> response = AuthTestKit.post(FHIR + "/" + type, token, json);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response;
  }
}
