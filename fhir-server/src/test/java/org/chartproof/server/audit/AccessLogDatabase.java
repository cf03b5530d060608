package org.chartproof.server.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.chartproof.server.TestPostgres;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An embedded PostgreSQL with the access log's tables, and access logs (without the ledger) that
 * write to it: for the tests of the access log and of what hands it decisions.
 */
public final class AccessLogDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final DataSource dataSource;
  private final JdbcTemplate jdbc;

  private AccessLogDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
    this.dataSource = postgres.getPostgresDatabase();
    this.jdbc = new JdbcTemplate(dataSource);
    new ResourceDatabasePopulator(new ClassPathResource("audit/schema.sql")).execute(dataSource);
  }

  public static AccessLogDatabase start() {
    return new AccessLogDatabase(TestPostgres.start());
  }

  public JdbcTemplate jdbc() {
    return jdbc;
  }

  /** Deletes every recorded event. */
  public void empty() {
    jdbc.update("DELETE FROM cp_access_audit");
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

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
