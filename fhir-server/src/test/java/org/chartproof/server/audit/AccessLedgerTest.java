package org.chartproof.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Reason;
import org.chartproof.consent.ReasonKind;
import org.chartproof.consent.RuleVersion;
import org.chartproof.consent.Verdict;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.InvalidJsonException;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.ledger.entry.Salt;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.SmartScopes;
import org.chartproof.server.ledger.LedgerRecords;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The access log's group commits are ledgered together: one ACCESS entry per run of {@link
 * AccessLedger}, committing to the tree over every event of the batches it took, each event opening
 * its leaf; on a real PostgreSQL.
 */
class AccessLedgerTest {

  private static EmbeddedPostgres postgres;
  private DataSource dataSource;
  private JdbcTemplate jdbc;
  private static final PseudonymKey PSEUDONYMS = PseudonymKey.generate(new SecureRandom());

  private static final AccessRequestInfo LAB =
      new AccessRequestInfo(
          new AccessIdentity(
              "lab", "lab", null, null, null, SmartScopes.parse("system/*.rs"), List.of()),
          Set.of(),
          null,
          "read");

  @BeforeAll
  static void database() {
    postgres = TestPostgres.start();
  }

  /** Tests run on {@code database}, with the access log's and the ledger's tables. */
  private void use(DataSource database) {
    dataSource = database;
    jdbc = new JdbcTemplate(dataSource);
    ResourceDatabasePopulator schema = new ResourceDatabasePopulator();
    schema.addScript(new ClassPathResource("audit/schema.sql"));
    schema.addScript(new ClassPathResource("ledger/schema.sql"));
    schema.execute(dataSource);
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void ledgerOnce_coversEveryBatchWrittenSinceTheLastRun_withOneEntry() throws Exception {
    // PostgreSQL: each group commit is one statement
    use(postgres.getPostgresDatabase());
    ledgersEveryBatchWrittenSinceTheLastRun();
  }

  @Test
  void ledgerOnce_onH2_theEmbeddedDefault() throws Exception {
    // H2: each group commit is a transaction of several statements
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:access-ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    use(h2);
    ledgersEveryBatchWrittenSinceTheLastRun();
  }

  private void ledgersEveryBatchWrittenSinceTheLastRun() throws Exception {
    LedgerRecords ledger = LedgerRecords.over(jdbc, PSEUDONYMS);
    TransactionTemplate transactions =
        new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    AccessLedger accessLedger =
        new AccessLedger(jdbc, transactions, ledger, Clock.systemUTC(), 1000);
    try (AccessLog log =
        new AccessLog(
            jdbc,
            transactions,
            ledger,
            Clock.systemUTC(),
            new AuditProperties(true, 1, 1000, Duration.ofSeconds(10), Duration.ZERO))) {
      // three requests one after another: three group commits, the second about two patients
      log.record(LAB, List.of(decision("Observation/1/_history/1", "Patient/a")));
      log.record(
          LAB,
          List.of(
              decision("Observation/2/_history/1", "Patient/a"),
              decision("Observation/3/_history/1", "Patient/b")));
      log.record(LAB, List.of(decision("Observation/4/_history/1", "Patient/c")));
    }
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM cp_access_batch", Long.class))
        .isEqualTo(3);
    assertThat(pendingEntries()).as("nothing ledgered before the run").isZero();

    assertThat(accessLedger.ledgerOnce()).isEqualTo(3);
    assertThat(accessLedger.ledgerOnce()).as("nothing left").isZero();

    assertThat(pendingEntries()).isEqualTo(1);
    Map<String, Object> row =
        jdbc.queryForMap("SELECT entry, res_type, res_id, salt FROM cp_ledger_pending");
    LedgerEntry entry = LedgerEntry.parse((byte[]) row.get("entry"));
    assertThat(entry.operation()).isEqualTo(Operation.ACCESS);
    assertThat(row.get("res_type")).isEqualTo("AuditEvent");
    assertThat(row.get("salt")).isNull();
    String entryId = (String) row.get("res_id");
    assertThat(entry.resourceId()).isEqualTo(PSEUDONYMS.resource("AuditEvent", entryId));

    // the entry commits to the tree over all four events, each opening its leaf
    List<byte[]> leaves = new ArrayList<>();
    jdbc.query(
        "SELECT entry_id, leaves FROM cp_access_batch ORDER BY entry_offset",
        rs -> {
          assertThat(rs.getString(1)).isEqualTo(entryId);
          leaves.addAll(LedgerRecords.split(rs.getBytes(2)));
        });
    assertThat(leaves).hasSize(4);
    assertThat(entry.commitment())
        .isEqualTo(new Commitment(LedgerRecords.batchRoot(LedgerRecords.leaves(leaves))));
    jdbc.query(
        "SELECT a.event_json, a.salt, b.entry_offset + a.batch_index FROM cp_access_audit a"
            + " JOIN cp_access_batch b ON b.batch_id = a.batch_id",
        rs -> {
          byte[] leaf = leaves.get(rs.getInt(3));
          try {
            assertThat(Commitment.commitJson(Salt.of(rs.getBytes(2)), rs.getString(1)).hash())
                .isEqualTo(leaf);
          } catch (InvalidJsonException e) {
            throw new AssertionError(e);
          }
        });
  }

  private long pendingEntries() {
    return jdbc.queryForObject("SELECT COUNT(*) FROM cp_ledger_pending", Long.class);
  }

  private static AccessDecision decision(String resource, String patient) {
    return new AccessDecision(
        resource,
        Set.of(patient),
        List.of(),
        new Decision(
            Verdict.PERMIT,
            new Reason(ReasonKind.NO_APPLICABLE_CONSENT, null, null),
            Set.of(),
            false,
            RuleVersion.current()));
  }
}
