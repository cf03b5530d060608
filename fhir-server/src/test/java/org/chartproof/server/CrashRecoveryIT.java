package org.chartproof.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.merkle.MerkleHash;
import org.chartproof.ledger.merkle.ProofVerifier;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.Checkpoint;
import org.chartproof.ledger.note.SignedNote;
import org.chartproof.ledger.note.VerifierKey;
import org.chartproof.server.ledger.VerifyCommand;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery (issue #3): the server jar runs as its own OS process on a real PostgreSQL, eight
 * writers create and update resources, and the process is killed with SIGKILL in the middle of the
 * load. A restart on the same database and data directory must show that every write answered 2xx
 * is in a signed checkpoint, that ledger entries and stored versions match one to one, and that the
 * log continues from the last checkpoint signed before the crash.
 *
 * <p>Why a lost write fails this test: an answered write whose entry was not committed with it (an
 * append outside the write's transaction, or held in memory) has no entry after the kill, so its
 * {@code $ledger-proof} is a 404; an entry committed but forgotten by the sequencer stays {@code
 * pending} past the deadline; a tree rebuilt differently after the restart fails the consistency
 * proof against the pre-crash root or the hash chain of checkpoints. Every assertion is checked
 * with the ledger-module's verifiers against the log's key, as an auditor would.
 */
class CrashRecoveryIT {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String FHIR_JSON = "application/fhir+json";
  private static final int WRITERS = 8;
  private static final int KILL_AFTER_ANSWERED = 300;
  private static final Duration STARTUP = Duration.ofSeconds(180);
  private static final Duration LOAD = Duration.ofSeconds(90);
  private static final Duration REQUEST = Duration.ofSeconds(30);
  private static final Duration INCLUSION = Duration.ofSeconds(60);
  private static final Pattern VERSIONED_ID =
      Pattern.compile("/([A-Z][A-Za-z]+)/([A-Za-z0-9.-]{1,64})/_history/([1-9][0-9]*)$");
  // Linux reports a process killed by signal 9 as 128 + 9
  private static final int SIGKILL_EXIT = 137;

  private static EmbeddedPostgres postgres;
  @TempDir static Path dataDir;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** A write answered 2xx: the version it created. */
  record Write(String type, String id, long version) {
    String historyPath() {
      return "/" + type + "/" + id + "/_history/" + version;
    }
  }

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void kill9DuringWrites_everyAnsweredWriteIsCheckpointed_andTheLogContinues() throws Exception {
    long testStart = System.nanoTime();
    VerifierKey key;
    String lastNoteBeforeCrash;
    WriteLoad load;
    long loadMillis;
    int exitCode;
    try (ServerJar first = ServerJar.start("first")) {
      first.awaitReady(http);
      key = VerifierKey.parse(get(first.url("/ledger/key")).body().trim());
      load = new WriteLoad(http, first.url("/fhir/"));
      CheckpointWatch watch = new CheckpointWatch(http, first.url("/ledger/checkpoint"));
      watch.start();
      load.start();
      long loadStart = System.nanoTime();
      load.awaitAnswered(KILL_AFTER_ANSWERED, LOAD);
      loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart);
      lastNoteBeforeCrash = watch.latest();
      exitCode = first.kill();
      load.awaitWritersStopped();
      watch.stop();
    }
    List<Write> answered = List.copyOf(load.answered);
    assertThat(exitCode).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT);
    // every write of the load is valid: a refusal means the load did not test what it claims
    assertThat(load.refused).as("writes answered with an error before the kill").isEmpty();
    assertThat(lastNoteBeforeCrash).as("a checkpoint was served before the kill").isNotNull();
    Checkpoint beforeCrash = verified(lastNoteBeforeCrash, key);
    assertThat(beforeCrash.treeSize()).as("the log had grown before the kill").isPositive();

    // Durability first, before any recovery code runs: a 2xx means the entry was committed.
    assertThat(writesWithoutEntry(answered)).as("answered writes without an entry").isEmpty();
    long pendingAtKill = count("SELECT count(*) FROM cp_ledger_pending");
    long entriesAtKill = count("SELECT count(*) FROM cp_ledger_entry") + pendingAtKill;
    long treeSizeAtKill = count("SELECT max(tree_size) FROM cp_checkpoint");

    long restartStart = System.nanoTime();
    try (ServerJar second = ServerJar.start("second")) {
      second.awaitReady(http);
      long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStart);
      assertThat(VerifierKey.parse(get(second.url("/ledger/key")).body().trim()))
          .as("the signing key survives the restart")
          .isEqualTo(key);

      HttpResponse<String> created =
          send(second.url("/fhir/Patient"), "POST", patient(null, "after-restart"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      Write afterRestart = WriteLoad.written(created).orElseThrow();

      long deadline = System.nanoTime() + INCLUSION.toNanos();
      Map<String, Checkpoint> checkpoints = new HashMap<>();
      int integratedAfterRestart = 0;
      for (Write write : answered) {
        long leafIndex =
            verifyInclusion(write, awaitIncluded(second, write, deadline), key, checkpoints);
        if (leafIndex >= treeSizeAtKill) {
          integratedAfterRestart++;
        }
      }
      verifyInclusion(
          afterRestart, awaitIncluded(second, afterRestart, deadline), key, checkpoints);

      // No entry lacks its write, no write lacks its entry, and nothing is left pending.
      assertThat(
              rows(
                  "SELECT e.res_type, e.res_id, e.version FROM cp_ledger_entry e WHERE NOT EXISTS"
                      + " (SELECT 1 FROM hfj_res_ver v JOIN hfj_resource r ON r.res_id = v.res_id"
                      + " WHERE r.res_type = e.res_type AND r.fhir_id = e.res_id"
                      + " AND v.res_ver = e.version)"))
          .as("ledger entries without a stored version")
          .isEmpty();
      assertThat(
              rows(
                  "SELECT r.res_type, r.fhir_id, v.res_ver FROM hfj_res_ver v"
                      + " JOIN hfj_resource r ON r.res_id = v.res_id WHERE NOT EXISTS"
                      + " (SELECT 1 FROM cp_ledger_entry e WHERE e.res_type = r.res_type"
                      + " AND e.res_id = r.fhir_id AND e.version = v.res_ver)"))
          .as("stored versions without a ledger entry")
          .isEmpty();
      long entries = count("SELECT count(*) FROM cp_ledger_entry");
      assertThat(count("SELECT count(*) FROM cp_ledger_pending"))
          .as("entries still pending")
          .isZero();
      assertThat(count("SELECT count(DISTINCT leaf_index) FROM cp_ledger_entry"))
          .isEqualTo(entries);
      assertThat(count("SELECT coalesce(max(leaf_index) + 1, 0) FROM cp_ledger_entry"))
          .as("leaf indices are 0 .. entries - 1")
          .isEqualTo(entries);

      // The log continues: the latest checkpoint extends the pre-crash one, and the hash chain of
      // every checkpoint ever signed runs unbroken through the crash.
      Checkpoint latest = verified(get(second.url("/ledger/checkpoint")).body(), key);
      assertThat(latest.treeSize()).isEqualTo(entries).isGreaterThan(beforeCrash.treeSize());
      List<byte[]> consistency =
          get(second.url(
                  "/ledger/proof/consistency?from="
                      + beforeCrash.treeSize()
                      + "&to="
                      + latest.treeSize()))
              .body()
              .lines()
              .map(Base64.getDecoder()::decode)
              .toList();
      ProofVerifier.verifyConsistency(
          beforeCrash.treeSize(),
          latest.treeSize(),
          consistency,
          beforeCrash.rootHash(),
          latest.rootHash());
      int chainLength = verifyChain(key, lastNoteBeforeCrash, latest);

      // The auditor's verify command, beside the running server: every stored version matches
      // its entry, every checkpoint verifies, and the checkpoint seen before the crash is intact.
      Path kept = dataDir.resolve("kept.checkpoint");
      Files.writeString(kept, lastNoteBeforeCrash);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int verified =
          VerifyCommand.run(
              new String[] {
                "--key", key.encode(),
                "--trusted-checkpoint", kept.toString(),
                "--data-dir", dataDir.toString(),
                "--db-url", postgres.getJdbcUrl("postgres", "postgres"),
                "--db-user", "postgres",
                "--quiet"
              },
              Map.of(),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              System.err);
      assertThat(verified).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(VerifyCommand.CLEAN);

      System.out.printf(
          "crash recovery: %d writes answered 2xx in %d ms of load before the kill (%s), %d"
              + " writers stopped by %s, %d non-2xx answers %s; last checkpoint seen before the"
              + " kill: size %d; at the kill %d entries committed (%d of them by unanswered"
              + " writes), %d in the last stored checkpoint, %d pending; %d answered writes"
              + " were integrated after the restart;"
              + " restart took %d ms; final tree %d leaves, %d checkpoints in the chain;"
              + " server logs: first %s, second %s; test took %d s%n",
          answered.size(),
          loadMillis,
          load.countByType(),
          load.stoppedBy.size(),
          load.stoppedBy,
          load.refused.size(),
          load.refused.stream().limit(5).toList(),
          beforeCrash.treeSize(),
          entriesAtKill,
          entriesAtKill - answered.size(),
          treeSizeAtKill,
          pendingAtKill,
          integratedAfterRestart,
          restartMillis,
          latest.treeSize(),
          chainLength,
          ServerJar.logSummary("first"),
          ServerJar.logSummary("second"),
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - testStart));
    }
  }

  // ---- verification as an auditor does it: signatures and proofs with the ledger-module ----

  private static Checkpoint verified(String note, VerifierKey key) throws Exception {
    return Checkpoint.parse(
        SignedNote.open(note.getBytes(StandardCharsets.UTF_8), List.of(key)).text());
  }

  /** Verifies the proof of {@code write} against its signed checkpoint; returns the leaf index. */
  private static long verifyInclusion(
      Write write, Parameters proof, VerifierKey key, Map<String, Checkpoint> verifiedNotes)
      throws Exception {
    String note = value(proof, "checkpoint");
    Checkpoint checkpoint = verifiedNotes.get(note);
    if (checkpoint == null) {
      checkpoint = verified(note, key);
      verifiedNotes.put(note, checkpoint);
    }
    byte[] entryBytes = Base64.getDecoder().decode(value(proof, "entry"));
    LedgerEntry entry = LedgerEntry.parse(entryBytes);
    assertThat(entry.resourceType()).as(write.historyPath()).isEqualTo(write.type());
    assertThat(entry.version()).as(write.historyPath()).isEqualTo(write.version());
    long leafIndex = Long.parseLong(value(proof, "leafIndex"));
    long treeSize = Long.parseLong(value(proof, "treeSize"));
    assertThat(treeSize).as("tree size of the signed checkpoint").isEqualTo(checkpoint.treeSize());
    List<byte[]> path =
        proof.getParameter().stream()
            .filter(p -> p.getName().equals("inclusionProof"))
            .map(p -> ((Base64BinaryType) p.getValue()).getValue())
            .toList();
    ProofVerifier.verifyInclusion(
        leafIndex, treeSize, MerkleHash.leafHash(entryBytes), path, checkpoint.rootHash());
    return leafIndex;
  }

  private Parameters awaitIncluded(ServerJar server, Write write, long deadline) throws Exception {
    URI uri = server.url("/fhir" + write.historyPath() + "/$ledger-proof");
    while (true) {
      HttpResponse<String> response = get(uri);
      assertThat(response.statusCode())
          .as("$ledger-proof of answered write %s: %s", write.historyPath(), response.body())
          .isEqualTo(200);
      Parameters parameters = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
      if (value(parameters, "status").equals("included")) {
        return parameters;
      }
      assertThat(value(parameters, "status")).isEqualTo("pending");
      assertThat(System.nanoTime() - deadline)
          .as("%s still pending after %d s", write.historyPath(), INCLUSION.toSeconds())
          .isNegative();
      Thread.sleep(100);
    }
  }

  /**
   * Checks every stored checkpoint: signed by the log's key, heights 0, 1, 2, ... each naming the
   * hash of the previous note, tree sizes never shrinking; the last one seen before the crash is
   * among them unchanged and the latest served is the last. Returns the number of checkpoints.
   */
  private static int verifyChain(VerifierKey key, String noteBeforeCrash, Checkpoint latest)
      throws Exception {
    byte[] previous = null;
    long previousSize = 0;
    boolean sawPreCrashNote = false;
    Checkpoint last = null;
    int height = 0;
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT height, tree_size, note FROM cp_checkpoint ORDER BY height");
        ResultSet rs = statement.executeQuery()) {
      for (; rs.next(); height++) {
        byte[] note = rs.getBytes(3);
        last = verified(new String(note, StandardCharsets.UTF_8), key);
        ChainLink link = ChainLink.of(last);
        assertThat(rs.getLong(1)).isEqualTo(height);
        assertThat(link.height()).isEqualTo(height);
        assertThat(last.treeSize()).isEqualTo(rs.getLong(2)).isGreaterThanOrEqualTo(previousSize);
        if (previous != null) {
          assertThat(link.follows(previous))
              .as("checkpoint %d names its predecessor", height)
              .isTrue();
        }
        sawPreCrashNote |= new String(note, StandardCharsets.UTF_8).equals(noteBeforeCrash);
        previous = note;
        previousSize = last.treeSize();
      }
    }
    assertThat(sawPreCrashNote).as("the pre-crash checkpoint is in the chain").isTrue();
    assertThat(last).isEqualTo(latest);
    return height;
  }

  // ---- database ----

  private static List<Write> writesWithoutEntry(List<Write> writes) throws Exception {
    List<Write> missing = new ArrayList<>();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM (SELECT res_type, res_id, version FROM cp_ledger_entry"
                    + " UNION ALL SELECT res_type, res_id, version FROM cp_ledger_pending) e"
                    + " WHERE res_type = ? AND res_id = ? AND version = ?")) {
      for (Write write : writes) {
        statement.setString(1, write.type());
        statement.setString(2, write.id());
        statement.setLong(3, write.version());
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            missing.add(write);
          }
        }
      }
    }
    return missing;
  }

  private static long count(String sql) throws Exception {
    return Long.parseLong(rows(sql).get(0).get(0));
  }

  private static List<List<String>> rows(String sql) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rs = statement.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  // ---- HTTP ----

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(REQUEST).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(URI uri, String method, String json)
      throws IOException, InterruptedException {
    return WriteLoad.send(http, uri, method, json);
  }

  private static String patient(String id, String given) {
    return "{\"resourceType\":\"Patient\","
        + (id == null ? "" : "\"id\":\"" + id + "\",")
        + "\"active\":true,\"name\":[{\"family\":\"Crash\",\"given\":[\""
        + given
        + "\"]}]}";
  }

  private static String observation(String patientId, int beatsPerMinute) {
    return """
        {"resourceType":"Observation","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},
         "subject":{"reference":"Patient/%s"},
         "valueQuantity":{"value":%d,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}
        """
        .formatted(patientId, beatsPerMinute);
  }

  private static String value(Parameters parameters, String name) {
    return parameters.getParameter().stream()
        .filter(p -> p.getName().equals(name))
        .findFirst()
        .map(ParametersParameterComponent::getValue)
        .orElseThrow(() -> new AssertionError("$ledger-proof answer has no " + name))
        .primitiveValue();
  }

  /**
   * Eight writers, each creating a Patient, two Observations about it and then updating it, until a
   * request goes unanswered (the server died) or they are told to stop. Writers touch only their
   * own patients, so no write conflicts with another.
   */
  private static final class WriteLoad {
    final Queue<Write> answered = new ConcurrentLinkedQueue<>();
    final Queue<String> refused = new ConcurrentLinkedQueue<>();
    final Queue<String> stoppedBy = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answeredCount = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> writers = new ArrayList<>();
    private final HttpClient http;
    private final URI fhirBase;

    WriteLoad(HttpClient http, URI fhirBase) {
      this.http = http;
      this.fhirBase = fhirBase;
    }

    void start() {
      for (int n = 0; n < WRITERS; n++) {
        int writer = n;
        Thread thread = new Thread(() -> run(writer), "crash-writer-" + n);
        thread.setDaemon(true);
        writers.add(thread);
        thread.start();
      }
    }

    void awaitAnswered(int count, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (answeredCount.get() < count) {
        assertThat(System.nanoTime() - deadline)
            .as(
                "%d of %d writes answered within %d s; refused: %s; stopped: %s",
                answeredCount.get(), count, timeout.toSeconds(), refused, stoppedBy)
            .isNegative();
        Thread.sleep(20);
      }
    }

    /** After the kill: every writer sees its connection fail; none may hang. */
    void awaitWritersStopped() throws InterruptedException {
      stop.set(true);
      for (Thread writer : writers) {
        writer.join(REQUEST.plusSeconds(10).toMillis());
        assertThat(writer.isAlive()).as(writer.getName() + " stopped").isFalse();
      }
    }

    Map<String, Long> countByType() {
      Map<String, Long> counts = new TreeMap<>();
      answered.forEach(w -> counts.merge(w.type(), 1L, Long::sum));
      counts.put(
          "Patient updates",
          answered.stream().filter(w -> w.type().equals("Patient") && w.version() > 1).count());
      return counts;
    }

    private void run(int writer) {
      try {
        for (int i = 0; !stop.get(); i++) {
          String given = "w" + writer + "-" + i;
          Optional<Write> patient = write("POST", "/Patient", patient(null, given));
          if (patient.isEmpty()) {
            continue;
          }
          String id = patient.get().id();
          write("POST", "/Observation", observation(id, 60 + i % 40));
          write("POST", "/Observation", observation(id, 100 + i % 40));
          // a changed name, so HAPI stores a new version rather than a no-op
          write("PUT", "/Patient/" + id, patient(id, given + "-updated"));
        }
      } catch (IOException e) {
        // unanswered: the server is gone; whether this write committed is unknown, and either
        // way is fine as long as the ledger and the stored versions agree
        stoppedBy.add(e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private Optional<Write> write(String method, String path, String json)
        throws IOException, InterruptedException {
      HttpResponse<String> response = send(http, fhirBase.resolve(path.substring(1)), method, json);
      if (response.statusCode() / 100 != 2) {
        refused.add(
            method + " " + path.replaceAll("/[^/]+$", "/{id}") + " " + response.statusCode());
        return Optional.empty();
      }
      Optional<Write> written = written(response);
      if (written.isEmpty()) {
        refused.add(method + " " + path + " answered without a version id");
        return Optional.empty();
      }
      answered.add(written.get());
      answeredCount.incrementAndGet();
      return written;
    }

    static HttpResponse<String> send(HttpClient http, URI uri, String method, String json)
        throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(uri)
              .timeout(REQUEST)
              .header("Content-Type", FHIR_JSON)
              .header("Accept", FHIR_JSON)
              .method(method, HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** The version a write created: from its Location header, else from the returned body. */
    static Optional<Write> written(HttpResponse<String> response) {
      Optional<Matcher> location =
          Stream.of("Location", "Content-Location")
              .flatMap(header -> response.headers().firstValue(header).stream())
              .map(VERSIONED_ID::matcher)
              .filter(Matcher::find)
              .findFirst();
      if (location.isPresent()) {
        Matcher m = location.get();
        return Optional.of(new Write(m.group(1), m.group(2), Long.parseLong(m.group(3))));
      }
      IIdType id = FHIR.newJsonParser().parseResource(response.body()).getIdElement();
      return id.hasVersionIdPart()
          ? Optional.of(
              new Write(id.getResourceType(), id.getIdPart(), id.getVersionIdPartAsLong()))
          : Optional.empty();
    }
  }

  /** Polls {@code GET /ledger/checkpoint} and keeps the latest note served. */
  private static final class CheckpointWatch {
    private final AtomicReference<String> latest = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    CheckpointWatch(HttpClient http, URI uri) {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
      thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                      latest.set(response.body());
                    }
                    Thread.sleep(100);
                  } catch (IOException e) {
                    // the server is gone; the last note served is the one to keep
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "crash-checkpoint-watch");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    String latest() {
      return latest.get();
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(Duration.ofSeconds(10).toMillis());
    }
  }

  /**
   * The executable server jar as its own process, on the embedded PostgreSQL and the shared data
   * directory (whose key files must survive the crash), logging to {@code target/crash-recovery}.
   */
  private static final class ServerJar implements AutoCloseable {
    private final Process process;
    private final URI base;
    private final Path log;

    private ServerJar(Process process, URI base, Path log) {
      this.process = process;
      this.base = base;
      this.log = log;
    }

    static ServerJar start(String name) throws IOException {
      int port = freePort();
      Path log = logFile(name);
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx768m",
                  "-jar",
                  jar().toString(),
                  "--server.address=127.0.0.1",
                  "--server.port=" + port,
                  "--chartproof.auth.mode=off",
                  "--chartproof.storage.data-dir=" + dataDir)
              .directory(dataDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder
          .environment()
          .put("SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"));
      builder.environment().put("SPRING_DATASOURCE_USERNAME", "postgres");
      builder.environment().put("SPRING_DATASOURCE_PASSWORD", "");
      return new ServerJar(builder.start(), URI.create("http://127.0.0.1:" + port + "/"), log);
    }

    URI url(String path) {
      return base.resolve(path.substring(1));
    }

    void awaitReady(HttpClient http) throws Exception {
      long deadline = System.nanoTime() + STARTUP.toNanos();
      HttpRequest metadata =
          HttpRequest.newBuilder(url("/fhir/metadata")).timeout(Duration.ofSeconds(10)).build();
      while (true) {
        assertThat(process.isAlive()).as("server alive; see %s", log).isTrue();
        try {
          if (http.send(metadata, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notListeningYet) {
          // keep polling until the deadline
        }
        assertThat(System.nanoTime() - deadline)
            .as("GET metadata answered 200 within %d s; see %s", STARTUP.toSeconds(), log)
            .isNegative();
        Thread.sleep(500);
      }
    }

    /** SIGKILL on Linux: no shutdown hooks, no graceful shutdown. Returns the exit status. */
    int kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed server exited").isTrue();
      return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }

    /** Counts of ERROR and WARN lines in a server's log, for the test's report. */
    static String logSummary(String name) throws IOException {
      Path log = logFile(name);
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "%s (%d ERROR, %d WARN lines)"
          .formatted(
              log,
              lines.stream().filter(l -> l.contains(" ERROR ")).count(),
              lines.stream().filter(l -> l.contains(" WARN ")).count());
    }

    private static Path logFile(String name) {
      return target().resolve("crash-recovery").resolve("server-" + name + ".log");
    }

    private static Path target() {
      return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target");
    }

    private static Path jar() throws IOException {
      try (Stream<Path> files = Files.list(target())) {
        List<Path> jars =
            files
                .filter(p -> p.getFileName().toString().matches("fhir-server-.*\\.jar"))
                .filter(
                    p -> !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                .toList();
        assertThat(jars).as("the repackaged server jar in %s", target()).hasSize(1);
        return jars.get(0);
      }
    }

    // a race with another process taking the port is possible but rare; the start then fails
    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }
  }
}
