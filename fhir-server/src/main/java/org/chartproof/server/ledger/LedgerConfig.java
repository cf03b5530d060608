package org.chartproof.server.ledger;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.time.Clock;
import javax.sql.DataSource;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.ledger.note.NoteSigner;
import org.chartproof.server.storage.DatabaseDialect;
import org.chartproof.server.storage.SecretKeyFile;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tamper-evident ledger: its tables, the sequencer that signs checkpoints, and the {@code
 * /ledger} endpoints. See docs/ledger.md. {@code chartproof.ledger.enabled=false} turns it off, for
 * measuring its cost; writes then leave no trace in the ledger.
 */
@Configuration
@ConditionalOnProperty(
    prefix = "chartproof.ledger",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(LedgerProperties.class)
@Import(AnchorConfig.class) // anchoring on a chain, when chartproof.anchor.enabled=true
public class LedgerConfig {

  @Bean
  LedgerStore ledgerStore(DataSource dataSource) {
    new ResourceDatabasePopulator(new ClassPathResource("ledger/schema.sql")).execute(dataSource);
    return new LedgerStore(new JdbcTemplate(dataSource));
  }

  @Bean
  NoteSigner logSigner(LedgerProperties properties) {
    return SecretKeyFile.load(
        properties.signingKeyFile(),
        "ledger signing key",
        "chartproof.ledger.signing-key-file",
        seed -> NoteSigner.fromSeed(properties.origin(), seed));
  }

  @Bean
  SequencerLock sequencerLock(DataSource dataSource, DatabaseDialect databaseDialect) {
    return databaseDialect == DatabaseDialect.POSTGRESQL
        ? SequencerLock.postgresAdvisory(new JdbcTemplate(dataSource))
        : SequencerLock.singleProcess();
  }

  @Bean
  Sequencer sequencer(
      LedgerStore store,
      SequencerLock lock,
      PlatformTransactionManager transactionManager,
      NoteSigner logSigner,
      LedgerProperties properties) {
    Sequencer sequencer =
        new Sequencer(
            store,
            new TransactionTemplate(transactionManager),
            lock,
            logSigner,
            properties.origin(),
            properties.batchSize(),
            Clock.systemUTC());
    sequencer.ensureGenesis();
    return sequencer;
  }

  @Bean
  BackgroundLoop sequencerSchedule(Sequencer sequencer, LedgerProperties properties) {
    return new BackgroundLoop(
        "ledger-sequencer", properties.checkpointInterval(), sequencer::integrateBacklog);
  }

  @Bean
  PseudonymKey ledgerPseudonyms(LedgerProperties properties) {
    return SecretKeyFile.load(
        properties.pseudonymKeyFile(),
        "ledger pseudonym key",
        "chartproof.ledger.pseudonym-key-file",
        PseudonymKey::of);
  }

  @Bean
  LedgerAppender ledgerAppender(
      FhirContext fhirContext,
      LedgerStore store,
      PseudonymKey pseudonyms,
      IInterceptorService jpaInterceptors) {
    LedgerAppender appender = new LedgerAppender(fhirContext, store, pseudonyms, Clock.systemUTC());
    jpaInterceptors.registerInterceptor(appender);
    return appender;
  }

  /** Entries for records kept outside HAPI's tables (the access log). */
  @Bean
  LedgerRecords ledgerRecords(LedgerStore store, PseudonymKey pseudonyms) {
    return new LedgerRecords(store, pseudonyms);
  }

  /** The ledger's part of {@code Patient/[id]/$erase} (the erasure package). */
  @Bean
  LedgerErasures ledgerErasures(
      DataSource dataSource, LedgerStore store, SequencerLock lock, PseudonymKey pseudonyms) {
    return new LedgerErasures(
        new JdbcTemplate(dataSource), store, lock, pseudonyms, Clock.systemUTC());
  }

  /** Registers {@code $ledger-proof} on the FHIR endpoint. */
  @Bean
  LedgerProofOperation ledgerProofOperation(
      FhirContext fhirContext,
      LedgerStore store,
      RestfulServer restfulServer,
      ObjectProvider<AnchorProperties> anchoring,
      DaoRegistry daos,
      ObjectProvider<BatchedRecords> batches) {
    AnchorProperties anchor = anchoring.getIfAvailable();
    LedgerProofOperation operation =
        new LedgerProofOperation(
            fhirContext,
            store,
            anchor == null ? null : anchor.contractAddress(),
            daos,
            batches.orderedStream().toList());
    restfulServer.registerProvider(operation);
    return operation;
  }

  @Bean
  LedgerController ledgerController(
      LedgerStore store, NoteSigner logSigner, ObjectProvider<AnchorPublisher> anchorPublisher) {
    return new LedgerController(store, logSigner.verifierKey(), anchorPublisher);
  }
}
