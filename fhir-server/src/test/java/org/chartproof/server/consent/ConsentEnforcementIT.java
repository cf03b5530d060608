package org.chartproof.server.consent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.chartproof.server.auth.AuthTestKit.get;
import static org.chartproof.server.auth.AuthTestKit.post;
import static org.chartproof.server.consent.ConsentTestKit.bundle;
import static org.chartproof.server.consent.ConsentTestKit.delete;
import static org.chartproof.server.consent.ConsentTestKit.idOf;
import static org.chartproof.server.consent.ConsentTestKit.ids;
import static org.chartproof.server.consent.ConsentTestKit.location;
import static org.chartproof.server.consent.ConsentTestKit.withId;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AuthTestKit;
import org.chartproof.server.ledger.VerifyCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
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
  void aResponseWhoseAccessCannotBeRecorded_isAnErrorWithoutTheData() throws Exception {
    String alice =
        new AppLogin(BASE, "phr", REDIRECT).accessToken("alice", "alice-secret", PATIENT_SCOPES);
    String read = FHIR + "/Observation/alice-vital";
    String search = FHIR + "/Observation?subject=Patient/pt-alice";
    assertThat(get(read, alice).body()).contains("vital-signs");
    assertThat(gzipped(read, alice))
        .as("gzip, recorded")
        .startsWith("200 gzip ")
        .contains("vital-signs");

    JdbcTemplate db = new JdbcTemplate(POSTGRES.getPostgresDatabase());
    db.execute(
        "ALTER TABLE cp_access_audit ADD CONSTRAINT it_no_access_log CHECK (false) NOT VALID");
    try {
      for (String url : List.of(read, search)) {
        HttpResponse<String> refused = get(url, alice);
        assertThat(refused.statusCode()).as(url).isEqualTo(500);
        assertThat(refused.body())
            .contains("OperationOutcome")
            .contains("could not be recorded in the access log")
            .doesNotContain("vital-signs");
      }
      assertThat(gzipped(read, alice))
          .as("gzip")
          .startsWith("500 ")
          .contains("could not be recorded in the access log")
          .doesNotContain("vital-signs");
    } finally {
      db.execute("ALTER TABLE cp_access_audit DROP CONSTRAINT it_no_access_log");
    }
    assertThat(get(read, alice).statusCode()).as("recorded again").isEqualTo(200);
  }

  /** The body of a GET that accepts a gzipped response, unzipped if it is one. */
  private static String gzipped(String url, String token) throws Exception {
    HttpResponse<byte[]> response =
        AuthTestKit.HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .header("Accept-Encoding", "gzip")
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    boolean zipped =
        response.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
    byte[] body =
        zipped
            ? new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes()
            : response.body();
    return response.statusCode() + " " + (zipped ? "gzip " : "") + new String(body, UTF_8);
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

  @Test
  void patient_seesEveryDecisionInHerAccessLog_eachEventProvenByTheLedger() throws Exception {
    String lab = systemToken(LAB_KEY, "lab-system", "system/Observation.rs system/Patient.rs");
    String alice =
        new AppLogin(BASE, "phr", REDIRECT).accessToken("alice", "alice-secret", PATIENT_SCOPES);
    String consentUrl = location(post(FHIR + "/Consent", alice, consent("active")));
    try {
      String consentVersion = "Consent/" + idOf(consentUrl) + "/_history/1";
      // the versions decided (each test's records() may have stored new ones)
      String lab1 = versioned("Observation/alice-lab-1", alice);
      String lab2 = versioned("Observation/alice-lab-2", alice);
      String vital = versioned("Observation/alice-vital", alice);

      assertThat(get(FHIR + "/Observation/alice-lab-1", lab).statusCode()).isEqualTo(200);
      assertThat(get(FHIR + "/Observation/alice-vital", lab).statusCode()).isEqualTo(404);
      bundle(get(FHIR + "/Observation?subject=Patient/pt-alice", lab));

      // recorded before each response was sent: all three are in the log when she looks
      JsonNode log = bundle(get(FHIR + "/AuditEvent?patient=Patient/pt-alice&_count=200", alice));
      List<JsonNode> byLab = new ArrayList<>();
      log.path("entry")
          .forEach(
              e -> {
                if (e.get("resource").toString().contains("\"lab-system\"")) {
                  byLab.add(e.get("resource"));
                }
              });
      JsonNode read = event(byLab, "read", lab1);
      assertThat(read.get("outcome").asText()).isEqualTo("0");
      assertThat(detail(read, lab1, "decision")).isEqualTo("permit");
      assertThat(detail(read, lab1, "reason")).startsWith("PROVISION " + consentVersion);
      assertThat(detail(read, lab1, "consents")).isEqualTo(consentVersion);
      assertThat(read.toString()).contains("Organization/lab").contains("\"Patient/pt-alice\"");
      assertThat(read.get("extension").get(0).get("valueString").asText())
          .isEqualTo(org.chartproof.consent.RuleVersion.current());
      JsonNode denied = event(byLab, "read", vital);
      assertThat(denied.get("outcome").asText()).isEqualTo("4");
      assertThat(detail(denied, vital, "decision")).isEqualTo("deny");
      JsonNode search = event(byLab, "search-type", vital);
      assertThat(detail(search, lab2, "decision")).isEqualTo("permit");
      assertThat(detail(search, vital, "decision"))
          .as("a resource a search hid is in the log too")
          .isEqualTo("deny");

      // each event is proven by the ledger, checked the way any reader checks a resource
      String id = read.get("id").asText();
      HttpResponse<String> served = get(FHIR + "/AuditEvent/" + id, alice);
      assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
      String proof = includedProof(FHIR + "/AuditEvent/" + id + "/$ledger-proof", alice);
      String key =
          AuthTestKit.HTTP
              .send(
                  HttpRequest.newBuilder(URI.create(BASE + "/ledger/key")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body()
              .trim();
      org.chartproof.server.ClientSideVerifier.verify(served.body(), proof, key);
      assertThat(
              catchThrowable(
                  () ->
                      org.chartproof.server.ClientSideVerifier.verify(
                          served.body().replace("permit", "deny"), proof, key)))
          .as("an altered event fails verification")
          .isNotNull();

      // the access log is ledgered in batches: an ACCESS entry covers the group commits of a
      // checkpoint interval, each event proven by its path among the entry's events (a search over
      // two patients' data alone records two events in one group commit)
      bundle(get(FHIR + "/Observation?_count=100", lab));
      JsonNode newest =
          bundle(get(FHIR + "/AuditEvent?patient=Patient/pt-alice&_count=1", alice))
              .path("entry")
              .get(0)
              .get("resource");
      assertThat(newest.toString()).contains("search-type").contains("\"lab-system\"");
      String batchedId = newest.get("id").asText();
      HttpResponse<String> batchedEvent = get(FHIR + "/AuditEvent/" + batchedId, alice);
      String batchedProof =
          includedProof(FHIR + "/AuditEvent/" + batchedId + "/$ledger-proof", alice);
      String compactProof = new ObjectMapper().readTree(batchedProof).toString();
      assertThat(compactProof)
          .contains("\"name\":\"operation\",\"valueCode\":\"access\"")
          .as("the entry covers bob's event of the same search too")
          .containsPattern("\"name\":\"batchSize\",\"valueInteger\":([2-9]|[1-9][0-9])");
      org.chartproof.server.ClientSideVerifier.verify(batchedEvent.body(), batchedProof, key);
      JdbcTemplate database = new JdbcTemplate(POSTGRES.getPostgresDatabase());
      assertThat(database.queryForObject("SELECT COUNT(*) FROM cp_access_batch", Long.class))
          .as("group commits")
          .isLessThan(database.queryForObject("SELECT COUNT(*) FROM cp_access_audit", Long.class));
      Map<String, Object> removed =
          database.queryForMap("SELECT * FROM cp_access_audit WHERE event_id = ?", batchedId);
      database.update("DELETE FROM cp_access_audit WHERE event_id = ?", batchedId);
      try {
        assertThat(verify(key))
            .as("an event removed from its batch")
            .contains("MISSING")
            .contains("of access-log batch " + removed.get("batch_id"));
      } finally {
        database.update(
            "INSERT INTO cp_access_audit (seq, event_id, patient_id, recorded_at, event_json,"
                + " batch_id, batch_index, salt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            removed.get("seq"),
            removed.get("event_id"),
            removed.get("patient_id"),
            removed.get("recorded_at"),
            removed.get("event_json"),
            removed.get("batch_id"),
            removed.get("batch_index"),
            removed.get("salt"));
      }
      assertThat(verify(key)).as("clean again").contains("OK: ");

      // the auditor's verify command checks the access log against the ledger too
      assertThat(verify(key)).as("clean").contains("OK: ");
      JdbcTemplate db = new JdbcTemplate(POSTGRES.getPostgresDatabase());
      String stored =
          db.queryForObject(
              "SELECT event_json FROM cp_access_audit WHERE event_id = ?", String.class, id);
      db.update(
          "UPDATE cp_access_audit SET event_json = ? WHERE event_id = ?",
          stored.replace("\"permit\"", "\"deny\""),
          id);
      try {
        assertThat(verify(key)).contains("AuditEvent/" + id).contains("ALTERED");
      } finally {
        db.update("UPDATE cp_access_audit SET event_json = ? WHERE event_id = ?", stored, id);
      }

      // the log is the patient's: not another patient's, not the lab's, and not writable
      assertThat(get(FHIR + "/AuditEvent?patient=Patient/pt-bob", alice).statusCode())
          .isEqualTo(403);
      assertThat(get(FHIR + "/AuditEvent/" + id, lab).statusCode()).isEqualTo(403);
      String ehr = systemToken(EHR_KEY, "ehr", "system/*.cruds");
      assertThat(post(FHIR + "/AuditEvent", ehr, read.toString()).statusCode()).isBetween(400, 405);

      // a proof carries the salt that opens a commitment: only for those who may read the version
      assertThat(get(FHIR + "/Observation/alice-vital/$ledger-proof", lab).statusCode())
          .isEqualTo(404);
      assertThat(get(FHIR + "/Observation/alice-lab-1/$ledger-proof", lab).statusCode())
          .isEqualTo(200);
      assertThat(get(FHIR + "/Observation/alice-vital/$ledger-proof", alice).statusCode())
          .isEqualTo(200);
      assertThat(get(FHIR + "/Observation/bob-lab/$ledger-proof", alice).statusCode())
          .as("another patient's data is hidden as if it did not exist")
          .isEqualTo(404);
    } finally {
      delete(alice, consentUrl); // the other tests start without a Consent
    }
  }

  @Test
  void careTeam_itsMembersGetWhatTheConsentGivesTheTeam_untilTheTeamChanges() throws Exception {
    String ehr = systemToken(EHR_KEY, "ehr", "system/*.cruds");
    String lab = systemToken(LAB_KEY, "lab-system", "system/Observation.rs system/Patient.rs");
    String alice =
        new AppLogin(BASE, "phr", REDIRECT).accessToken("alice", "alice-secret", PATIENT_SCOPES);
    put(ehr, "Organization/hospital", "{\"resourceType\":\"Organization\",\"id\":\"hospital\"}");
    put(ehr, "CareTeam/ct-alice", careTeam("Organization/lab"));
    String consentUrl =
        location(
            post(
                FHIR + "/Consent",
                alice,
                consent("active").replace("Organization/lab", "CareTeam/ct-alice")));
    try {
      assertThat(get(FHIR + "/Observation/alice-lab-1", lab).statusCode())
          .as("the lab's organization is in the care team the Consent names")
          .isEqualTo(200);

      put(ehr, "CareTeam/ct-alice", careTeam("Organization/hospital"));
      assertThat(get(FHIR + "/Observation/alice-lab-1", lab).statusCode())
          .as("out of the team from the very next request")
          .isEqualTo(404);
    } finally {
      delete(alice, consentUrl);
    }
  }

  private static String careTeam(String participant) {
    return "{\"resourceType\":\"CareTeam\",\"id\":\"ct-alice\",\"status\":\"active\","
        + "\"subject\":{\"reference\":\"Patient/pt-alice\"},"
        + "\"participant\":[{\"member\":{\"reference\":\""
        + participant
        + "\"}}]}";
  }

  /** The verify command's report on the test database. */
  private static String verify(String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VerifyCommand.run(
        new String[] {
          "--key",
          key,
          "--data-dir",
          DATA_DIR.toString(),
          "--db-url",
          POSTGRES.getJdbcUrl("postgres", "postgres"),
          "--db-user",
          "postgres"
        },
        java.util.Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {@code reference} with the version {@code token} reads of it now. */
  private static String versioned(String reference, String token) throws Exception {
    HttpResponse<String> read = get(FHIR + "/" + reference, token);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    return reference
        + "/_history/"
        + new ObjectMapper().readTree(read.body()).path("meta").path("versionId").asText();
  }

  /** The event of an interaction that decided {@code resource}. */
  private static JsonNode event(List<JsonNode> events, String interaction, String resource) {
    return events.stream()
        .filter(e -> e.get("subtype").get(0).get("code").asText().equals(interaction))
        .filter(e -> e.toString().contains("\"" + resource + "\""))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + interaction + " event for " + resource));
  }

  /** The value of an entity detail of the entity naming {@code resource}. */
  private static String detail(JsonNode event, String resource, String type) {
    for (JsonNode entity : event.get("entity")) {
      if (entity.path("what").path("reference").asText().equals(resource)) {
        for (JsonNode detail : entity.path("detail")) {
          if (detail.get("type").asText().equals(type)) {
            return detail.get("valueString").asText();
          }
        }
      }
    }
    throw new AssertionError("no " + type + " for " + resource + " in " + event);
  }

  /** The proof once the sequencer has included the entry. */
  private static String includedProof(String url, String token) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      HttpResponse<String> proof = get(url, token);
      assertThat(proof.statusCode()).as(proof.body()).isEqualTo(200);
      if (proof.body().contains("\"included\"")) {
        return proof.body();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the entry was not included within 10 s");
  }

  // ---- data and HTTP ----

  private static String consent(String status) {
    return ConsentTestKit.consent(
        status, "pt-alice", "OPTOUT", ConsentTestKit.laboratoryObservationsFor("Organization/lab"));
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
    return AuthTestKit.systemToken(BASE, key, clientId, scope);
  }
}
