package org.chartproof.server.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Reason;
import org.chartproof.consent.ReasonKind;
import org.chartproof.consent.RuleVersion;
import org.chartproof.consent.Verdict;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.SmartScopes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An embedded PostgreSQL with the access log's tables, and access logs (without the ledger) that
 * write to it: for the tests of the access log and of what hands it decisions. Registered as a
 * static {@code @RegisterExtension}: started before the class's tests, emptied before each, stopped
 * after them.
 */
public final class AccessLogDatabase
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  /** A lab's backend service, the requester the tests record decisions for. */
  public static final AccessIdentity LAB =
      new AccessIdentity(
          "lab",
          "lab",
          null,
          "Organization/lab",
          null,
          SmartScopes.parse("system/*.rs"),
          List.of());

  /** A decision about {@code resource} of {@code patient}, who has no Consents. */
  public static AccessDecision decision(String resource, String patient, Verdict verdict) {
    return new AccessDecision(
        resource,
        Set.of(patient),
        List.of(),
        new Decision(
            verdict,
            new Reason(ReasonKind.NO_APPLICABLE_CONSENT, null, null),
            Set.of(),
            false,
            RuleVersion.current()));
  }

  private EmbeddedPostgres postgres;
  private DataSource dataSource;
  private JdbcTemplate jdbc;

  @Override
  public void beforeAll(ExtensionContext context) {
    postgres = TestPostgres.start();
    dataSource = postgres.getPostgresDatabase();
    jdbc = new JdbcTemplate(dataSource);
    new ResourceDatabasePopulator(new ClassPathResource("audit/schema.sql")).execute(dataSource);
  }

  /** Deletes every recorded event. */
  @Override
  public void beforeEach(ExtensionContext context) {
    jdbc.update("DELETE FROM cp_access_audit");
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    postgres.close();
  }

  public JdbcTemplate jdbc() {
    return jdbc;
  }

  /** How many events are committed. */
  public long events() {
    return jdbc.queryForObject("SELECT COUNT(*) FROM cp_access_audit", Long.class);
  }

  /** A new access log on this database, without the ledger; the caller closes it. */
  public AccessLog log(int writers, Duration timeout, Duration commitDelay) {
    return new AccessLog(
        jdbc,
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
        null,
        Clock.systemUTC(),
        new AuditProperties(true, writers, 1000, timeout, commitDelay));
  }
}
