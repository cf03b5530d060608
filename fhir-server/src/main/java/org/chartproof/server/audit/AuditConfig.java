package org.chartproof.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.chartproof.server.auth.Administrators;
import org.chartproof.server.ledger.BackgroundLoop;
import org.chartproof.server.ledger.BatchedRecords;
import org.chartproof.server.ledger.LedgerProperties;
import org.chartproof.server.ledger.LedgerRecords;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The access log (docs/audit.md): on with consent enforcement unless {@code
 * chartproof.audit.enabled=false}. Its AuditEvents replace HAPI's stored AuditEvent resource type
 * on the FHIR endpoint.
 */
@Configuration
@EnableConfigurationProperties(AuditProperties.class)
@ConditionalOnExpression(
    "!'${chartproof.auth.mode:embedded}'.equalsIgnoreCase('off')"
        + " and '${chartproof.consent.enabled:true}'.equalsIgnoreCase('true')"
        + " and '${chartproof.audit.enabled:true}'.equalsIgnoreCase('true')")
public class AuditConfig {

  /** The most group commits one ACCESS ledger entry covers (each holds up to max-batch events). */
  static final int MAX_BATCHES_PER_ENTRY = 1000;

  @Bean(destroyMethod = "close")
  AccessLog accessLog(
      DataSource dataSource,
      PlatformTransactionManager transactionManager,
      ObjectProvider<LedgerRecords> ledger,
      AuditProperties properties) {
    new ResourceDatabasePopulator(new ClassPathResource("audit/schema.sql")).execute(dataSource);
    return new AccessLog(
        new JdbcTemplate(dataSource),
        new TransactionTemplate(transactionManager),
        ledger.getIfAvailable(),
        Clock.systemUTC(),
        properties);
  }

  /**
   * Ledgers the access log's batches, one ACCESS entry per checkpoint interval (with the ledger
   * on).
   */
  @Bean
  @ConditionalOnProperty(
      prefix = "chartproof.ledger",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  BackgroundLoop accessLedgerSchedule(
      DataSource dataSource,
      PlatformTransactionManager transactionManager,
      LedgerRecords ledger,
      LedgerProperties ledgerProperties) {
    return new BackgroundLoop(
        "access-ledger",
        ledgerProperties.checkpointInterval(),
        new AccessLedger(
            new JdbcTemplate(dataSource),
            new TransactionTemplate(transactionManager),
            ledger,
            Clock.systemUTC(),
            MAX_BATCHES_PER_ENTRY));
  }

  /** Serves the access log in place of HAPI's stored AuditEvents. */
  @Bean
  AuditEventProvider auditEventProvider(
      RestfulServer server,
      DataSource dataSource,
      FhirContext fhirContext,
      Administrators administrators,
      AccessLog accessLog) {
    List<IResourceProvider> stored =
        server.getResourceProviders().stream()
            .filter(provider -> provider.getResourceType() == AuditEvent.class)
            .toList();
    stored.forEach(server::unregisterProvider);
    AuditEventProvider provider =
        new AuditEventProvider(new JdbcTemplate(dataSource), fhirContext, administrators);
    server.registerProvider(provider);
    return provider;
  }

  /** {@code $ledger-proof} of an AuditEvent for whoever may read it. */
  @Bean
  BatchedRecords auditEventBatches(AuditEventProvider events, DataSource dataSource) {
    return new AuditEventBatches(events, new JdbcTemplate(dataSource));
  }
}
