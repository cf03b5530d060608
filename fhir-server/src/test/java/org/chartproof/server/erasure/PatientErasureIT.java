package org.chartproof.server.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.server.auth.AuthTestKit.get;
import static org.chartproof.server.auth.AuthTestKit.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.merkle.MerkleHash;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AuthTestKit;
import org.chartproof.server.encryption.KeyHolder;
import org.chartproof.server.ledger.VerifyCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code Patient/[id]/$erase} end to end over HTTP with real tokens on PostgreSQL, with
 * authorization and consent enforcement on: an administrator erases a patient with Observations
 * (one of them updated) and a DiagnosticReport; afterwards every read of those resources and of
 * their versions answers 410 "erased on request", searches leave them out, another patient's record
 * is untouched, the salts are gone from the ledger tables, the erasure is a ledger entry, and the
 * auditor's verify command counts the erased versions as erased while still naming a tampered row
 * of the other patient.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "server.address=127.0.0.1",
      "chartproof.auth.mode=embedded",
      "chartproof.consent.base-policy=opt-out"
    })
class PatientErasureIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final Path DATA_DIR = AuthTestKit.tempDir("chartproof-erasure");
  private static final int PORT = AuthTestKit.freePort();
  private static final String BASE = "http://127.0.0.1:" + PORT;
  private static final String FHIR = BASE + "/fhir";
  private static final RSAKey OPS_KEY = AuthTestKit.rsaKey("ops-1");
  private static final RSAKey EHR_KEY = AuthTestKit.rsaKey("ehr-1");
  private static final String ALL = "system/*.cruds";

  /** Unique per test, so that tests sharing the database never touch each other's records. */
  private String alice;

  private String bob;
  private String admin;
  private String ehr;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    AuthTestKit.address(registry, PORT);
    AuthTestKit.database(registry, POSTGRES, DATA_DIR);
    registry.add("chartproof.auth.clients[0].client-id", () -> "ops");
    registry.add(
        "chartproof.auth.clients[0].jwks", () -> new JWKSet(OPS_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.clients[0].scopes[0]", () -> ALL);
    registry.add("chartproof.auth.clients[0].admin", () -> "true");
    registry.add("chartproof.auth.clients[1].client-id", () -> "ehr");
    registry.add(
        "chartproof.auth.clients[1].jwks", () -> new JWKSet(EHR_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.clients[1].scopes[0]", () -> ALL);
  }

  @BeforeEach
  void records() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
    admin = systemToken(OPS_KEY, "ops");
    ehr = systemToken(EHR_KEY, "ehr");
    for (String patient : List.of(alice, bob)) {
      put("Patient/" + patient, "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}");
      put(
          "Patient/" + patient,
          "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\",\"active\":true}");
      observation(patient + "-glucose", patient, "5.1");
    }
    observation(alice + "-glucose", alice, "5.4"); // version 2
    observation(alice + "-potassium", alice, "4.0");
    put(
        "DiagnosticReport/" + alice + "-panel",
        ("{\"resourceType\":\"DiagnosticReport\",\"id\":\"%s-panel\",\"status\":\"final\","
                + "\"code\":{\"text\":\"Panel\"},\"subject\":{\"reference\":\"Patient/%s\"},"
                + "\"result\":[{\"reference\":\"Observation/%s-glucose\"},"
                + "{\"reference\":\"Observation/%s-potassium\"}]}")
            .formatted(alice, alice, alice, alice));
  }

  @Test
  void erase_byAnAdministrator_makesThePatientsRecordGone_andTheLedgerSaysErased()
      throws Exception {
    HttpResponse<String> erased = erase(alice, admin);

    assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
    JsonNode summary = JSON.readTree(erased.body());
    assertThat(summary.get("resourceType").asText()).isEqualTo("Parameters");
    assertThat(value(summary, "status").asText()).isEqualTo("erased");
    assertThat(value(summary, "resources").asInt()).isEqualTo(4);
    // Patient v1, v2; glucose v1, v2; potassium v1; the report v1
    assertThat(value(summary, "erasedVersions").asInt()).isEqualTo(6);
    assertThat(value(summary, "keyDestroyed").asBoolean()).isTrue();
    assertThat(erased.body()).doesNotContain("5.4").doesNotContain("Panel");

    // reads of every resource and version: 410 with the erased message
    for (String path :
        List.of(
            "Patient/" + alice,
            "Patient/" + alice + "/_history/1",
            "Patient/" + alice + "/_history",
            "Observation/" + alice + "-glucose",
            "Observation/" + alice + "-glucose/_history/1",
            "Observation/" + alice + "-glucose/_history/2",
            "Observation/" + alice + "-glucose/_history",
            "Observation/" + alice + "-potassium",
            "DiagnosticReport/" + alice + "-panel",
            "DiagnosticReport/" + alice + "-panel/_history/1")) {
      HttpResponse<String> read = get(FHIR + "/" + path, ehr);
      assertThat(read.statusCode()).as(path + ": " + read.body()).isEqualTo(410);
      assertThat(read.body())
          .as(path)
          .contains("OperationOutcome")
          .contains("was erased on request")
          .doesNotContain("5.4");
    }

    // also a vread inside a batch bundle (HAPI dispatches it like a request of its own)
    HttpResponse<String> batch =
        post(
            FHIR,
            ehr,
            ("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":"
                    + "{\"method\":\"GET\",\"url\":\"Observation/%s-glucose/_history/1\"}}]}")
                .formatted(alice));
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
    assertThat(JSON.readTree(batch.body()).at("/entry/0/response/status").asText())
        .as(batch.body())
        .startsWith("410");
    assertThat(batch.body()).contains("was erased on request").doesNotContain("5.4");

    // searches leave them out; the other patient's record is untouched
    assertThat(ids(get(FHIR + "/Observation?subject=Patient/" + alice, ehr))).isEmpty();
    assertThat(ids(get(FHIR + "/DiagnosticReport?subject=Patient/" + alice, ehr))).isEmpty();
    assertThat(ids(get(FHIR + "/Patient?_id=" + alice + "," + bob, ehr))).containsExactly(bob);
    assertThat(ids(get(FHIR + "/Observation?code=http://loinc.org%7C2345-7", ehr)))
        .contains(bob + "-glucose")
        .noneMatch(id -> id.startsWith(alice));
    HttpResponse<String> bobs = get(FHIR + "/Observation/" + bob + "-glucose", ehr);
    assertThat(bobs.statusCode()).isEqualTo(200);
    assertThat(bobs.body()).contains("5.1");

    // the data key is destroyed: the ciphertexts of every earlier version stay, unreadable by
    // anyone; the other patient's key is intact
    JdbcTemplate db = new JdbcTemplate(POSTGRES.getPostgresDatabase());
    assertThat(
            db.queryForObject(
                "SELECT COUNT(*) FROM cp_data_key WHERE compartment = ? AND wrapped IS NULL"
                    + " AND destroyed_at IS NOT NULL",
                Long.class,
                "Patient/" + alice))
        .isEqualTo(1);
    assertThat(
            db.queryForObject(
                "SELECT COUNT(*) FROM cp_data_key WHERE compartment = ? AND wrapped IS NOT NULL",
                Long.class,
                "Patient/" + bob))
        .isEqualTo(1);

    // salts destroyed in the ledger tables, the other patient's kept
    assertThat(saltsLeft(db, alice)).isZero();
    assertThat(saltsLeft(db, bob)).isEqualTo(3); // Patient v1, v2, glucose v1

    // HAPI removed their search index rows; the other patient's stay
    for (String index :
        List.of("hfj_spidx_token", "hfj_spidx_quantity", "hfj_spidx_date", "hfj_res_link")) {
      String column = index.equals("hfj_res_link") ? "src_resource_id" : "res_id";
      String sql =
          "SELECT COUNT(*) FROM "
              + index
              + " i JOIN hfj_resource r ON r.res_id = i."
              + column
              + " WHERE r.fhir_id LIKE ?";
      assertThat(db.queryForObject(sql, Long.class, alice + "%")).as(index).isZero();
      if (!index.equals("hfj_spidx_date")) {
        assertThat(db.queryForObject(sql, Long.class, bob + "%")).as(index).isPositive();
      }
    }

    // the erasure is a ledger entry, proven like any other; erased versions keep their proof
    JsonNode proof = awaitIncluded("Patient/" + alice + "/$ledger-proof");
    assertThat(value(proof, "operation").asText()).isEqualTo("erase");
    LedgerEntry entry =
        LedgerEntry.parse(Base64.getDecoder().decode(value(proof, "entry").asText()));
    assertThat(entry.operation()).isEqualTo(Operation.ERASE);
    assertThat(new String(entry.toBytes(), StandardCharsets.US_ASCII)).doesNotContain(alice);
    assertThat(Base64.getDecoder().decode(value(summary, "ledgerEntry").asText()))
        .isEqualTo(entry.toBytes());
    JsonNode erasedVersion =
        awaitIncluded("Observation/" + alice + "-glucose/_history/1/$ledger-proof");
    assertThat(value(erasedVersion, "status").asText()).isEqualTo("erased");
    assertThat(value(erasedVersion, "salt")).isNull();
    assertThat(value(erasedVersion, "inclusionProof")).isNotNull();

    // the auditor: erased versions are erased, not altered; tampering elsewhere is still found
    VerifyResult clean = verify();
    assertThat(clean.status).as(clean.out + clean.err).isEqualTo(VerifyCommand.CLEAN);
    assertThat(clean.out).containsPattern("[0-9]+ erased versions \\([0-9]+ erasures\\)");
    // an operator holding the keys rewrites a stored body and reseals it: only the ledger can tell
    KeyHolder keys = KeyHolder.of(DATA_DIR);
    String original = keys.read(db, "Observation", bob + "-glucose", 1);
    try {
      keys.rewrite(db, "Observation", bob + "-glucose", 1, json -> json.replace("5.1", "9.9"));
      VerifyResult tampered = verify();
      assertThat(tampered.status).as(tampered.err).isEqualTo(VerifyCommand.PROBLEMS);
      assertThat(tampered.findings())
          .containsExactly(
              "ALTERED    Observation/"
                  + bob
                  + "-glucose/_history/1: content does not match its ledger commitment (leaf "
                  + leafOf(db, bob + "-glucose")
                  + ")");

      // nor can an operator excuse it by listing it in the erasure's manifest and dropping its salt
      byte[] eraseLeaf = HexFormat.of().parseHex(value(summary, "ledgerLeafHash").asText());
      byte[] bobsEntry =
          db.queryForObject(
              "SELECT entry FROM cp_ledger_entry WHERE res_id = ? AND version = 1",
              byte[].class,
              bob + "-glucose");
      byte[] bobsSalt =
          db.queryForObject(
              "SELECT salt FROM cp_ledger_entry WHERE res_id = ? AND version = 1",
              byte[].class,
              bob + "-glucose");
      db.update(
          "INSERT INTO cp_ledger_erasure (erase_leaf_hash, entry_leaf_hash) VALUES (?, ?)",
          eraseLeaf,
          MerkleHash.leafHash(bobsEntry));
      db.update("UPDATE cp_ledger_entry SET salt = NULL WHERE res_id = ?", bob + "-glucose");
      try {
        VerifyResult forged = verify();
        assertThat(forged.status).as(forged.err).isEqualTo(VerifyCommand.PROBLEMS);
        assertThat(forged.findings())
            .contains(
                "ERASURE    Patient/"
                    + alice
                    + "/_history/4: its manifest of 7 entries does not match the ERASE entry")
            .contains("ALTERED    Observation/" + bob + "-glucose/_history/1: its salt is gone")
            .allMatch(f -> f.startsWith("ERASURE") || f.startsWith("ALTERED"));
      } finally {
        db.update(
            "DELETE FROM cp_ledger_erasure WHERE entry_leaf_hash = ?",
            (Object) MerkleHash.leafHash(bobsEntry));
        db.update(
            "UPDATE cp_ledger_entry SET salt = ? WHERE res_id = ? AND version = 1",
            bobsSalt,
            bob + "-glucose");
      }
    } finally {
      keys.rewrite(db, "Observation", bob + "-glucose", 1, json -> original);
    }
    assertThat(verify().status).isEqualTo(VerifyCommand.CLEAN);

    // erased ids cannot be written back to life
    HttpResponse<String> revived =
        send(
            "Observation/" + alice + "-potassium",
            "{\"resourceType\":\"Observation\",\"id\":\""
                + alice
                + "-potassium\",\"status\":\"final\",\"code\":{\"text\":\"K\"}}");
    assertThat(revived.statusCode()).as(revived.body()).isEqualTo(410);
  }

  @Test
  void erase_twice_answersTheFirstErasure_andChangesNothing() throws Exception {
    HttpResponse<String> first = erase(alice, admin);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JdbcTemplate db = new JdbcTemplate(POSTGRES.getPostgresDatabase());
    long entries = allEntries(db);

    HttpResponse<String> second = erase(alice, admin);

    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    JsonNode summary = JSON.readTree(second.body());
    assertThat(value(summary, "status").asText()).isEqualTo("already-erased");
    assertThat(value(summary, "resources").asInt()).isEqualTo(4);
    assertThat(value(summary, "ledgerLeafHash").asText())
        .isEqualTo(value(JSON.readTree(first.body()), "ledgerLeafHash").asText());
    assertThat(allEntries(db)).isEqualTo(entries);
    assertThat(get(FHIR + "/Patient/" + alice, ehr).statusCode()).isEqualTo(410);
  }

  @Test
  void erase_byAClientThatIsNoAdministrator_isForbidden_andErasesNothing() throws Exception {
    HttpResponse<String> refused = erase(alice, ehr);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("OperationOutcome").contains("administrator");
    assertThat(erase(alice, null).statusCode()).isEqualTo(401);
    assertThat(get(FHIR + "/Observation/" + alice + "-glucose", ehr).statusCode()).isEqualTo(200);
    assertThat(saltsLeft(new JdbcTemplate(POSTGRES.getPostgresDatabase()), alice)).isEqualTo(6);
  }

  @Test
  void erase_ofAPatientReferencedFromOutsideTheirCompartment_erasesNothing() throws Exception {
    // about Bob, with Alice as its focus: in Bob's compartment only, yet it references her
    put(
        "Observation/" + bob + "-focus",
        ("{\"resourceType\":\"Observation\",\"id\":\"%s-focus\",\"status\":\"final\","
                + "\"code\":{\"text\":\"Family history\"},"
                + "\"subject\":{\"reference\":\"Patient/%s\"},"
                + "\"focus\":[{\"reference\":\"Patient/%s\"}]}")
            .formatted(bob, bob, alice));

    HttpResponse<String> refused = erase(alice, admin);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("OperationOutcome");
    assertUntouched();
  }

  @Test
  void erase_ofAPatientSharingAResourceWithAnother_refusesByDefault() throws Exception {
    // about Alice, performed by Bob: in both patients' compartments
    put(
        "Observation/" + alice + "-shared",
        ("{\"resourceType\":\"Observation\",\"id\":\"%s-shared\",\"status\":\"final\","
                + "\"code\":{\"text\":\"Shared\"},"
                + "\"subject\":{\"reference\":\"Patient/%s\"},"
                + "\"performer\":[{\"reference\":\"Patient/%s\"}]}")
            .formatted(alice, alice, bob));

    HttpResponse<String> refused = erase(alice, admin);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("other patients' compartments");
    assertThat(get(FHIR + "/Observation/" + alice + "-shared", ehr).statusCode()).isEqualTo(200);
    assertUntouched();
  }

  private void assertUntouched() throws Exception {
    assertThat(get(FHIR + "/Observation/" + alice + "-glucose", ehr).statusCode()).isEqualTo(200);
    assertThat(get(FHIR + "/Patient/" + alice, ehr).statusCode()).isEqualTo(200);
    assertThat(saltsLeft(new JdbcTemplate(POSTGRES.getPostgresDatabase()), alice + "-glucose"))
        .isEqualTo(2);
    assertThat(
            new JdbcTemplate(POSTGRES.getPostgresDatabase())
                .queryForObject(
                    "SELECT COUNT(*) FROM cp_erasure WHERE patient_id = ?", Long.class, alice))
        .isZero();
  }

  // ---- helpers ----

  private static HttpResponse<String> erase(String patient, String token) throws Exception {
    return post(
        FHIR + "/Patient/" + patient + "/$erase", token, "{\"resourceType\":\"Parameters\"}");
  }

  private HttpResponse<String> send(String path, String json) throws Exception {
    return AuthTestKit.HTTP.send(
        HttpRequest.newBuilder(URI.create(FHIR + "/" + path))
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/fhir+json")
            .header("Authorization", "Bearer " + ehr)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void put(String path, String json) throws Exception {
    HttpResponse<String> response = send(path, json);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 201);
  }

  private void observation(String id, String patient, String value) throws Exception {
    put(
        "Observation/" + id,
        ("{\"resourceType\":\"Observation\",\"id\":\"%s\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2345-7\"}]},"
                + "\"subject\":{\"reference\":\"Patient/%s\"},"
                + "\"valueQuantity\":{\"value\":%s,\"unit\":\"mmol/L\"}}")
            .formatted(id, patient, value));
  }

  /** Salts still present for the resources whose ids start with the patient's. */
  private static long saltsLeft(JdbcTemplate db, String patient) {
    String like = patient + "%";
    return db.queryForObject(
        "SELECT (SELECT COUNT(*) FROM cp_ledger_entry WHERE res_id LIKE ? AND salt IS NOT NULL)"
            + " + (SELECT COUNT(*) FROM cp_ledger_pending WHERE res_id LIKE ?"
            + " AND salt IS NOT NULL)",
        Long.class,
        like,
        like);
  }

  /**
   * Ledger entries, written and pending, but the access log's: those ledger every request's consent
   * decisions (the erasures' too) once per checkpoint interval, in the background, so they may land
   * between two counts whatever the erasure did.
   */
  private static long allEntries(JdbcTemplate db) {
    return db.queryForObject(
        "SELECT (SELECT COUNT(*) FROM cp_ledger_entry WHERE res_type IS DISTINCT FROM ?)"
            + " + (SELECT COUNT(*) FROM cp_ledger_pending WHERE res_type IS DISTINCT FROM ?)",
        Long.class,
        LedgerEntry.ACCESS_TYPE,
        LedgerEntry.ACCESS_TYPE);
  }

  private static long leafOf(JdbcTemplate db, String id) {
    return db.queryForObject(
        "SELECT leaf_index FROM cp_ledger_entry WHERE res_id = ? AND version = 1", Long.class, id);
  }

  /** A change an administrator with SQL access could make behind the server's back. */
  /** Fetches a $ledger-proof until its entry is in a signed checkpoint (bounded wait). */
  private JsonNode awaitIncluded(String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<String> response = get(FHIR + "/" + path, admin);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
      JsonNode proof = JSON.readTree(response.body());
      if (!value(proof, "status").asText().equals("pending")) {
        return proof;
      }
      assertThat(System.nanoTime()).as(path + " never included").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private record VerifyResult(int status, String out, String err) {
    List<String> findings() {
      return out.lines().filter(l -> !l.startsWith("OK") && !l.startsWith("FAILED")).toList();
    }
  }

  /** The auditor's verify command on the live database, as LedgerTamperIT runs it. */
  private static VerifyResult verify() throws Exception {
    HttpResponse<String> key =
        AuthTestKit.HTTP.send(
            HttpRequest.newBuilder(URI.create(BASE + "/ledger/key")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
    String vkey = key.body().trim();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        VerifyCommand.run(
            new String[] {
              "--key",
              vkey,
              "--pseudonym-key-file",
              DATA_DIR.resolve("ledger-pseudonym.key").toString(),
              "--db-url",
              POSTGRES.getJdbcUrl("postgres", "postgres"),
              "--db-user",
              "postgres"
            },
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new VerifyResult(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode value(JsonNode parameters, String name) {
    for (JsonNode parameter : parameters.path("parameter")) {
      if (parameter.get("name").asText().equals(name)) {
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) parameter::fields) {
          if (field.getKey().startsWith("value")) {
            return field.getValue();
          }
        }
      }
    }
    return null;
  }

  private static List<String> ids(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode e : JSON.readTree(response.body()).path("entry")) {
      if (e.has("resource")
          && !"OperationOutcome".equals(e.get("resource").path("resourceType").asText())) {
        ids.add(e.get("resource").get("id").asText());
      }
    }
    return ids;
  }

  private static String systemToken(RSAKey key, String clientId) throws Exception {
    return AuthTestKit.systemToken(BASE, key, clientId, ALL);
  }
}
