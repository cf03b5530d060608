package org.chartproof.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.chartproof.server.encryption.KeyHolder;
import org.chartproof.server.ledger.ServedForm.StoredVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The auditor's verify command against real PostgreSQL, after each kind of tampering a database
 * administrator could do behind the server's back. The server writes a small record set once into a
 * template database; every test works on its own copy ({@code CREATE DATABASE ... TEMPLATE}).
 */
class LedgerTamperIT {

  private static final String TEMPLATE = "chartproof_template";
  private static final AtomicInteger COPIES = new AtomicInteger();

  @TempDir static Path dataDir;
  static EmbeddedPostgres postgres;
  static String vkey;
  static Path keptCheckpoint;

  /** Patient A: created, then updated (versions 1 and 2). */
  static String patientA;

  /** Patient B: created, then deleted (version 2 is the deletion). */
  static String patientB;

  @BeforeAll
  static void writeRecordsThroughTheServer() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + TEMPLATE);
    try (ConfigurableApplicationContext server = startServer(TEMPLATE)) {
      ServerUnderTest.Http http = new ServerUnderTest.Http(server);
      patientA = http.create("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Tamper-A\"}]}");
      http.send(
          "PUT",
          "/fhir/Patient/" + patientA,
          "{\"resourceType\":\"Patient\",\"id\":\""
              + patientA
              + "\",\"active\":true,"
              + "\"name\":[{\"family\":\"Tamper-A\"}]}");
      patientB = http.create("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Tamper-B\"}]}");
      http.send("DELETE", "/fhir/Patient/" + patientB, null);
      for (int i = 0; i < 20; i++) {
        http.create(
            ("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hr\"},"
                    + "\"subject\":{\"reference\":\"Patient/%s\"},"
                    + "\"meta\":{\"tag\":[{\"system\":\"urn:t\",\"code\":\"z\"},"
                    + "{\"system\":\"urn:t\",\"code\":\"a\"}]},"
                    + "\"valueQuantity\":{\"value\":7%d.50,\"unit\":\"/min\"}}")
                .formatted(patientA, i));
      }
      vkey = http.get("/ledger/key").trim();
      long entries = jdbc(TEMPLATE).queryForObject(LedgerTables.COUNT_ALL_ENTRIES, Long.class);
      keptCheckpoint = dataDir.resolve("kept-checkpoint");
      Files.writeString(keptCheckpoint, http.awaitCheckpoint(entries));
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void verify_untouchedDatabase_isClean_andKeepsTheCheckpointForNextTime() throws Exception {
    String db = copy();
    Path saved = dataDir.resolve("saved-" + db);

    Result result =
        verify(
            db,
            "--trusted-checkpoint",
            keptCheckpoint.toString(),
            "--save-checkpoint",
            saved.toString());

    assertThat(result.status).as(result.err + result.out).isEqualTo(VerifyCommand.CLEAN);
    assertThat(result.out).contains("OK: 24 resource versions, 24 ledger entries (0 pending)");
    assertThat(result.err).contains("verify: versions").contains("finished in");
    assertThat(Files.readString(saved)).isEqualTo(Files.readString(keptCheckpoint));
    assertThat(verify(db, "--trusted-checkpoint", saved.toString()).status)
        .isEqualTo(VerifyCommand.CLEAN);
  }

  @Test
  void verify_oneChangedByteInAStoredResource_namesTheAlteredVersion() {
    String db = copy();
    // bodies are encrypted: the attacker holds the keys and reseals the changed body correctly
    KeyHolder.of(dataDir)
        .rewrite(jdbc(db), "Patient", patientA, 1, json -> json.replace("Tamper-A", "Tamper-B"));

    Result result = verify(db);

    assertThat(result.status).as(result.err).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(result.findings())
        .containsExactly(
            "ALTERED    Patient/"
                + patientA
                + "/_history/1: content does not match its ledger"
                + " commitment (leaf 0)");
  }

  @Test
  void verify_deletedHistoryRow_namesTheMissingVersion() {
    String db = copy();
    jdbc(db)
        .update(
            "DELETE FROM hfj_res_ver WHERE res_ver = 1"
                + " AND res_id = (SELECT res_id FROM hfj_resource WHERE fhir_id = ?)",
            patientA);

    Result result = verify(db);

    assertThat(result.status).as(result.err).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(result.findings())
        .containsExactly(
            "MISSING    Patient/"
                + patientA
                + "/_history/1: ledgered CREATE at leaf 0 but not in"
                + " the database");
  }

  @Test
  void verify_resourceInsertedBehindTheServersBack_namesTheUnledgeredVersion() {
    String db = copy();
    JdbcTemplate jdbc = jdbc(db);
    // a copy of patient A's rows under a new id, as an administrator with SQL access could write
    jdbc.execute(
        "CREATE TEMP TABLE r AS SELECT * FROM hfj_resource WHERE fhir_id = '"
            + patientA
            + "';"
            + " UPDATE r SET res_id = res_id + 100000, fhir_id = 'intruder';"
            + " INSERT INTO hfj_resource SELECT * FROM r;"
            + " CREATE TEMP TABLE v AS SELECT * FROM hfj_res_ver WHERE res_ver = 1 AND res_id ="
            + " (SELECT res_id - 100000 FROM r);"
            + " UPDATE v SET pid = pid + 100000, res_id = res_id + 100000;"
            + " INSERT INTO hfj_res_ver SELECT * FROM v;");

    Result result = verify(db);

    assertThat(result.status).as(result.err).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(result.findings())
        .containsExactly("UNLEDGERED Patient/intruder/_history/1: stored without a ledger entry");
  }

  @Test
  void verify_alteredLedgerEntry_namesTheLeaf_andTheCheckpointsItBreaks() throws Exception {
    String db = copy();
    JdbcTemplate jdbc = jdbc(db);
    byte[] original =
        jdbc.queryForObject("SELECT entry FROM cp_ledger_entry WHERE leaf_index = 4", byte[].class);
    String altered =
        new String(original, StandardCharsets.US_ASCII).replace("op CREATE", "op UPDATE");
    assertThat(altered).isNotEqualTo(new String(original, StandardCharsets.US_ASCII));
    jdbc.update(
        "UPDATE cp_ledger_entry SET entry = ? WHERE leaf_index = 4",
        (Object) altered.getBytes(StandardCharsets.US_ASCII));

    Result result = verify(db);

    assertThat(result.status).as(result.err).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(result.findings())
        .anyMatch(
            f ->
                f.startsWith("ENTRY      leaf 4 (")
                    && f.endsWith("entry altered after it was logged"))
        .anyMatch(f -> f.startsWith("CHECKPOINT") && f.contains("its root does not match"))
        .allMatch(f -> f.startsWith("ENTRY") || f.startsWith("CHECKPOINT"));
  }

  @Test
  void verify_deletedLedgerEntry_isNamed_andItsVersionIsUnledgered() {
    String db = copy();
    jdbc(db).update("DELETE FROM cp_ledger_entry WHERE leaf_index = 0");

    Result result = verify(db);

    assertThat(result.status).as(result.err).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(result.findings())
        .contains("ENTRY      leaves 0..0: entries removed from the ledger")
        .contains("UNLEDGERED Patient/" + patientA + "/_history/1: stored without a ledger entry");
  }

  @Test
  void verify_ledgerRebuiltAndReSignedWithTheRealKey_isCaughtOnlyByTheKeptCheckpoint()
      throws Exception {
    String db = copy();
    JdbcTemplate jdbc = jdbc(db);
    // The attacker changes a record, then rebuilds the whole ledger so that it agrees: a fresh
    // commitment for the changed version, the tree and every checkpoint re-made and re-signed by
    // the server itself with the real signing key.
    // Bodies are encrypted: the attacker also holds the data keys and reseals the changed body.
    KeyHolder keys = KeyHolder.of(dataDir);
    keys.rewrite(jdbc, "Patient", patientA, 1, json -> json.replace("Tamper-A", "Forged-A"));
    StoredVersion forged =
        jdbc.queryForObject(
            "SELECT r.fhir_id, v.res_updated, v.source_uri, v.request_id"
                + " FROM hfj_res_ver v JOIN hfj_resource r ON r.res_id = v.res_id"
                + " WHERE r.fhir_id = ? AND v.res_ver = 1",
            (rs, i) ->
                new StoredVersion(
                    "Patient",
                    rs.getString(1),
                    1,
                    rs.getTimestamp(2),
                    keys.read(jdbc, "Patient", patientA, 1),
                    rs.getString(3),
                    rs.getString(4)),
            patientA);
    LedgerForgery.recommitAndDropTree(jdbc, forged);
    try (ConfigurableApplicationContext server = startServer(db)) {
      new ServerUnderTest.Http(server).awaitCheckpoint(24);
    }

    Result withoutKeptCheckpoint = verify(db);
    Result withKeptCheckpoint = verify(db, "--trusted-checkpoint", keptCheckpoint.toString());

    // Signed by the real key and internally consistent: only history the auditor kept reveals it
    // (and, with issue #4, the chain anchor).
    assertThat(withoutKeptCheckpoint.status)
        .as(withoutKeptCheckpoint.out)
        .isEqualTo(VerifyCommand.CLEAN);
    assertThat(withKeptCheckpoint.status).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(withKeptCheckpoint.findings()).isNotEmpty().allMatch(f -> f.startsWith("REWRITTEN"));
  }

  @Test
  void verify_checkpointSignedByAnotherKey_orTamperedSignature_isRejected() {
    String db = copy();
    JdbcTemplate jdbc = jdbc(db);
    byte[] note =
        jdbc.queryForObject("SELECT note FROM cp_checkpoint WHERE height = 1", byte[].class);
    int inSignature = note.length - 6; // a base64 character of the signature
    note[inSignature] = (byte) (note[inSignature] == 'A' ? 'B' : 'A');
    jdbc.update("UPDATE cp_checkpoint SET note = ? WHERE height = 1", (Object) note);

    Result result = verify(db);

    assertThat(result.status).as(result.err).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(result.findings())
        .anyMatch(f -> f.startsWith("CHECKPOINT checkpoint height 1: not validly signed"));
  }

  @Test
  void verify_withoutAKey_orWithAnUnreachableDatabase_cannotVerify() {
    Result noKey = run(List.of("--db-url", "jdbc:postgresql://127.0.0.1:1/none"));
    Result noDatabase =
        run(
            List.of(
                "--key",
                vkey,
                "--pseudonym-key-file",
                dataDir.resolve("ledger-pseudonym.key").toString(),
                "--db-url",
                "jdbc:postgresql://127.0.0.1:1/none",
                "--quiet"));

    assertThat(noKey.status).isEqualTo(VerifyCommand.CANNOT_VERIFY);
    assertThat(noKey.err).contains("--key is required");
    assertThat(noDatabase.status).isEqualTo(VerifyCommand.CANNOT_VERIFY);
    assertThat(noDatabase.err).contains("cannot read the database");
  }

  // ---- helpers ----

  record Result(int status, String out, String err) {
    List<String> findings() {
      return out.lines().filter(l -> !l.startsWith("OK:") && !l.startsWith("FAILED:")).toList();
    }
  }

  static Result verify(String db, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--key",
                vkey,
                "--pseudonym-key-file",
                dataDir.resolve("ledger-pseudonym.key").toString(),
                "--db-url",
                postgres.getJdbcUrl("postgres", db),
                "--db-user",
                "postgres"));
    args.addAll(List.of(extra));
    return run(args);
  }

  static Result run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        VerifyCommand.run(
            args.toArray(String[]::new),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A fresh copy of the template database. */
  static String copy() {
    String name = "tampered_" + COPIES.incrementAndGet();
    new JdbcTemplate(postgres.getPostgresDatabase())
        .execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    return name;
  }

  static JdbcTemplate jdbc(String db) {
    DataSource dataSource = postgres.getDatabase("postgres", db);
    return new JdbcTemplate(dataSource);
  }

  static ConfigurableApplicationContext startServer(String db) {
    return ServerUnderTest.start(
        "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", db),
        "--spring.datasource.username=postgres",
        "--spring.datasource.password=",
        "--chartproof.storage.data-dir=" + dataDir);
  }
}
