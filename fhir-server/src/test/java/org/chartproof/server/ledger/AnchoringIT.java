package org.chartproof.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.chartproof.ledger.anchor.AnchoredCheckpoint;
import org.chartproof.ledger.anchor.EvmAnchor;
import org.chartproof.ledger.anchor.HardhatNode;
import org.chartproof.ledger.anchor.SubmitterKeys;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.Checkpoint;
import org.chartproof.ledger.note.NoteSigner;
import org.chartproof.server.encryption.KeyHolder;
import org.chartproof.server.ledger.ServedForm.StoredVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.web3j.crypto.Credentials;

/**
 * Anchoring against a real local EVM node (Hardhat, installed by the build from chain/), reached
 * through a proxy that can cut it off: the server on PostgreSQL anchors its checkpoints, survives
 * the chain going away and coming back, re-anchors what a reorg dropped, and the verify command
 * reads the anchors from the chain to catch a ledger rebuilt and re-signed with the log's own key.
 * The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnchoringIT {

  private static final String ORIGIN = "chartproof.localhost/ledger";
  private static final Credentials ADMIN =
      SubmitterKeys.fromPrivateKey(HardhatNode.DEV_PRIVATE_KEYS.get(0));
  private static final Credentials SUBMITTER =
      SubmitterKeys.fromPrivateKey(HardhatNode.DEV_PRIVATE_KEYS.get(1));
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static EmbeddedPostgres postgres;
  static HardhatNode node;
  static TcpProxy proxy;
  static String contract;
  static String vkey;
  static ConfigurableApplicationContext server;
  static ServerUnderTest.Http http;
  static EvmAnchor chain;

  @BeforeAll
  static void startChainDatabaseAndServer() throws Exception {
    // The log's key exists before the server's first start, so the contract can be deployed for it.
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    Files.writeString(
        dataDir.resolve("ledger-signing.key"), Base64.getEncoder().encodeToString(seed) + "\n");
    vkey = NoteSigner.fromSeed(ORIGIN, seed).verifierKey().encode();
    node = HardhatNode.start();
    // as an operator does it: the deploy-anchor command, with the log's public key only
    ByteArrayOutputStream deployed = new ByteArrayOutputStream();
    int status =
        DeployAnchorCommand.run(
            new String[] {
              "--rpc-url",
              node.url().toString(),
              "--key",
              vkey,
              "--submitter",
              SUBMITTER.getAddress()
            },
            Map.of("CHARTPROOF_ANCHOR_ADMIN_PRIVATE_KEY", HardhatNode.DEV_PRIVATE_KEYS.get(0)),
            new PrintStream(deployed, true, StandardCharsets.UTF_8),
            System.err);
    assertThat(status).isZero();
    contract = deployed.toString(StandardCharsets.UTF_8).strip().replace("contract ", "");
    assertThat(
            EvmAnchor.connect(node.url(), contract, ADMIN, EvmAnchor.Settings.DEFAULTS)
                .isSubmitter(SUBMITTER.getAddress()))
        .isTrue();
    chain = EvmAnchor.readOnly(node.url(), contract, EvmAnchor.Settings.DEFAULTS);
    proxy = new TcpProxy(node.port());
    postgres = EmbeddedPostgres.builder().start();
    server = startServer(true);
    http = new ServerUnderTest.Http(server);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (server != null) {
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (node != null) {
      node.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @Order(1)
  void writes_areAnchored_oneTransactionPerInterval_andShownWithTheirLag() throws Exception {
    long anchorsBefore = chain.count();
    long start = System.nanoTime();
    String patient = null;
    for (int i = 0; i < 40; i++) {
      patient = createPatient("Anchored-" + i);
    }
    long size = checkpointSize(http.awaitCheckpoint(entries()));
    JsonNode anchors = awaitAnchored(size);
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1;

    AnchoredCheckpoint onChain = chain.latest().orElseThrow();
    assertThat(onChain.treeSize()).isEqualTo(size);
    assertThat(chain.count() - anchorsBefore)
        .as("one transaction per interval, however many writes")
        .isLessThanOrEqualTo(seconds / INTERVAL.toSeconds() + 1);
    JsonNode latest = anchors.get("latest");
    assertThat(latest.get("treeSize").asLong()).isEqualTo(size);
    assertThat(latest.get("index").asLong()).isEqualTo(onChain.index());
    JsonNode receipt =
        node.rpc("eth_getTransactionReceipt", latest.get("transactionHash").asText());
    assertThat(receipt.get("status").asText()).isEqualTo("0x1");
    assertThat(Long.decode(receipt.get("blockNumber").asText()))
        .isEqualTo(latest.get("blockNumber").asLong());
    assertThat(anchors.get("lagEntries").asLong()).isZero();

    // the proof of a version is covered by the anchor: same tree, same root, same checkpoint
    JsonNode proof = JSON.readTree(http.get("/fhir/Patient/" + patient + "/$ledger-proof"));
    assertThat(parameter(proof, "anchorStatus").get("valueCode").asText()).isEqualTo("anchored");
    String note = parameter(proof, "checkpoint").get("valueString").asText();
    Checkpoint checkpoint = checkpoint(note);
    AnchoredCheckpoint covering =
        chain.at(part(parameter(proof, "anchor"), "index").get("valueInteger").asLong());
    assertThat(covering.treeSize()).isEqualTo(checkpoint.treeSize());
    assertThat(covering.root()).isEqualTo(checkpoint.rootHash());
    assertThat(covering.checkpointHash())
        .isEqualTo(ChainLink.noteHash(note.getBytes(StandardCharsets.UTF_8)));

    JsonNode health = JSON.readTree(http.get("/actuator/health"));
    assertThat(health.at("/components/anchor/status").asText()).isEqualTo("UP");
    JsonNode lag = JSON.readTree(http.get("/actuator/metrics/chartproof.anchor.lag.entries"));
    assertThat(lag.at("/measurements/0/value").asDouble()).isZero();
  }

  @Test
  @Order(2)
  void chainUnreachable_writesGoOn_andTheBacklogIsAnchoredWhenItReturns() throws Exception {
    proxy.cut();
    try {
      for (int i = 0; i < 10; i++) {
        createPatient("WhileDown-" + i);
      }
      long size = checkpointSize(http.awaitCheckpoint(entries()));
      JsonNode down =
          await(
              "the publisher to see the chain gone and the whole backlog",
              () -> {
                JsonNode status = JSON.readTree(http.get("/ledger/anchors"));
                return !status.get("chainReachable").asBoolean()
                        && status.get("ledgerTreeSize").asLong() == size
                    ? status
                    : null;
              });
      assertThat(down.get("lagEntries").asLong()).isPositive();
      assertThat(
              JSON.readTree(http.get("/actuator/health")).at("/components/anchor/status").asText())
          .isEqualTo("UNKNOWN");
      assertThat(chain.latest().orElseThrow().treeSize()).isLessThan(size);
    } finally {
      proxy.restore();
    }
    long size = checkpointSize(http.awaitCheckpoint(entries()));
    awaitAnchored(size);
    assertThat(chain.latest().orElseThrow().treeSize()).isEqualTo(size);
  }

  @Test
  @Order(3)
  void anchorDroppedByAReorg_isAnchoredAgain() throws Exception {
    String snapshot = node.snapshot();
    createPatient("Reorged");
    long size = checkpointSize(http.awaitCheckpoint(entries()));
    awaitAnchored(size);
    long count = chain.count();

    assertThat(node.revert(snapshot)).isTrue();
    assertThat(chain.count()).as("the reorg dropped the anchor").isLessThan(count);

    await(
        "the dropped anchor to be re-submitted",
        () -> chain.latest().filter(a -> a.treeSize() >= size).orElse(null));
    awaitAnchored(size);
  }

  @Test
  @Order(4)
  void verify_readsTheChain_andCatchesALedgerRebuiltAndReSignedWithTheLogKey() throws Exception {
    long size = checkpointSize(http.awaitCheckpoint(entries()));
    awaitAnchored(size);
    server.close();
    server = null;
    assertThat(verify(true).status()).as("before forging").isEqualTo(VerifyCommand.CLEAN);

    forgeAndRebuildLedger();

    Result withoutChain = verify(false);
    Result withChain = verify(true);
    assertThat(withoutChain.status()).as(withoutChain.out()).isEqualTo(VerifyCommand.CLEAN);
    assertThat(withChain.status()).as(withChain.out()).isEqualTo(VerifyCommand.PROBLEMS);
    assertThat(withChain.out().lines().filter(l -> !l.startsWith("FAILED")).toList())
        .isNotEmpty()
        .allMatch(line -> line.startsWith("ANCHOR"))
        .anyMatch(line -> line.contains("not those anchored on the chain"));
  }

  // ---- helpers ----

  /**
   * The attack: change a patient's first version, give it a matching fresh commitment, and let the
   * server rebuild the tree and re-sign every checkpoint with the real log key (anchoring off, as
   * the attacker configures it).
   */
  private static void forgeAndRebuildLedger() throws Exception {
    JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    // Bodies are encrypted: the attacker holds the data keys, finds the patient and reseals the
    // changed body.
    KeyHolder keys = KeyHolder.of(dataDir);
    String patient =
        jdbc
            .queryForList(
                "SELECT fhir_id FROM hfj_resource WHERE res_type = 'Patient'", String.class)
            .stream()
            .filter(id -> keys.read(jdbc, "Patient", id, 1).contains("Anchored-0\""))
            .findFirst()
            .orElseThrow();
    keys.rewrite(jdbc, "Patient", patient, 1, json -> json.replace("Anchored-0", "Forged-0"));
    StoredVersion forged =
        jdbc.queryForObject(
            "SELECT r.fhir_id, v.res_updated, v.source_uri, v.request_id FROM hfj_res_ver v"
                + " JOIN hfj_resource r ON r.res_id = v.res_id"
                + " WHERE r.res_type = 'Patient' AND r.fhir_id = ? AND v.res_ver = 1",
            (rs, i) ->
                new StoredVersion(
                    "Patient",
                    rs.getString(1),
                    1,
                    rs.getTimestamp(2),
                    keys.read(jdbc, "Patient", patient, 1),
                    rs.getString(3),
                    rs.getString(4)),
            patient);
    LedgerForgery.recommitAndDropTree(jdbc, forged);
    long entries = jdbc.queryForObject(LedgerTables.COUNT_ALL_ENTRIES, Long.class);
    try (ConfigurableApplicationContext attacker = startServer(false)) {
      new ServerUnderTest.Http(attacker).awaitCheckpoint(entries);
    }
  }

  record Result(int status, String out) {}

  private static Result verify(boolean withChain) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--key",
                vkey,
                "--data-dir",
                dataDir.toString(),
                "--db-url",
                postgres.getJdbcUrl("postgres", "postgres"),
                "--db-user",
                "postgres",
                "--quiet"));
    if (withChain) {
      args.addAll(List.of("--chain-rpc", node.url().toString(), "--anchor-contract", contract));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        VerifyCommand.run(
            args.toArray(String[]::new),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
  }

  private static ConfigurableApplicationContext startServer(boolean anchoring) {
    return ServerUnderTest.start(
        "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
        "--spring.datasource.username=postgres",
        "--spring.datasource.password=",
        "--chartproof.storage.data-dir=" + dataDir,
        "--chartproof.anchor.enabled=" + anchoring,
        "--chartproof.anchor.rpc-url=" + URI.create("http://127.0.0.1:" + proxy.port()),
        "--chartproof.anchor.contract-address=" + contract,
        "--chartproof.anchor.submitter-private-key=" + HardhatNode.DEV_PRIVATE_KEYS.get(1),
        "--chartproof.anchor.interval=" + INTERVAL.toMillis() + "ms");
  }

  private static String createPatient(String family) throws Exception {
    return http.create("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}");
  }

  private static long entries() {
    return new JdbcTemplate(postgres.getPostgresDatabase())
        .queryForObject(LedgerTables.COUNT_ALL_ENTRIES, Long.class);
  }

  private static long checkpointSize(String note) {
    return Long.parseLong(note.lines().skip(1).findFirst().orElseThrow());
  }

  private static Checkpoint checkpoint(String note) throws Exception {
    return Checkpoint.parse(note.substring(0, note.lastIndexOf("\n\n") + 1));
  }

  /** Waits until /ledger/anchors shows the tree of {@code size} anchored. */
  private static JsonNode awaitAnchored(long size) throws Exception {
    return await(
        "anchoring of tree size " + size,
        () -> {
          JsonNode status = JSON.readTree(http.get("/ledger/anchors"));
          return status.has("latest") && status.at("/latest/treeSize").asLong() >= size
              ? status
              : null;
        });
  }

  private static <T> T await(String what, Callable<T> probe) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      T value = probe.call();
      if (value != null) {
        return value;
      }
      assertThat(System.nanoTime()).as("waited in vain for " + what).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static JsonNode parameter(JsonNode parameters, String name) {
    for (JsonNode parameter : parameters.get("parameter")) {
      if (parameter.get("name").asText().equals(name)) {
        return parameter;
      }
    }
    throw new AssertionError("no parameter " + name + " in " + parameters);
  }

  private static JsonNode part(JsonNode parameter, String name) {
    for (JsonNode part : parameter.get("part")) {
      if (part.get("name").asText().equals(name)) {
        return part;
      }
    }
    throw new AssertionError("no part " + name + " in " + parameter);
  }
}
