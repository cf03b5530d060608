package org.chartproof.server.erasure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.time.Clock;
import javax.sql.DataSource;
import org.chartproof.server.auth.Administrators;
import org.chartproof.server.auth.AuthProperties;
import org.chartproof.server.ledger.LedgerErasures;
import org.springframework.beans.factory.ObjectProvider;
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
 * Erasure on request: {@code Patient/[id]/$erase}, its tables, and the guard that answers 410
 * "erased on request" (docs/erasure.md, docs/adr/0011-erasure-by-crypto-shredding.md). Uses the
 * ledger ({@link LedgerErasures}) and record encryption ({@link PatientKeyShredder}) when they are
 * present.
 */
@Configuration
@ConditionalOnProperty(
    prefix = "chartproof.erasure",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(ErasureProperties.class)
public class ErasureConfig {

  @Bean
  ErasureRecords erasureRecords(DataSource dataSource) {
    new ResourceDatabasePopulator(new ClassPathResource("erasure/schema.sql")).execute(dataSource);
    return new ErasureRecords(new JdbcTemplate(dataSource));
  }

  @Bean
  ErasedResourceGuard erasedResourceGuard(
      ErasureRecords records,
      FhirContext fhirContext,
      RestfulServer restfulServer,
      IInterceptorService jpaInterceptors) {
    ErasedResourceGuard guard = new ErasedResourceGuard(records, fhirContext);
    restfulServer.registerInterceptor(guard);
    jpaInterceptors.registerInterceptor(new ErasedResourceGuard.Writes(guard));
    return guard;
  }

  @Bean
  PatientErasure patientErasure(
      PlatformTransactionManager transactionManager,
      DataSource dataSource,
      DaoRegistry daos,
      FhirContext fhirContext,
      ErasureRecords records,
      ObjectProvider<PatientKeyShredder> shredder,
      ObjectProvider<LedgerErasures> ledger,
      ErasureProperties properties) {
    return new PatientErasure(
        new TransactionTemplate(transactionManager),
        new CompartmentMembers(new JdbcTemplate(dataSource), daos, fhirContext),
        records,
        daos,
        fhirContext,
        shredder,
        ledger,
        properties.sharedResources(),
        Clock.systemUTC());
  }

  /** Registers {@code $erase} on the FHIR endpoint. */
  @Bean
  ErasureOperation erasureOperation(
      PatientErasure erasure,
      Administrators administrators,
      AuthProperties auth,
      ErasureProperties properties,
      RestfulServer restfulServer) {
    boolean open = auth.mode() == AuthProperties.Mode.OFF && properties.allowWithoutAuthorization();
    ErasureOperation operation = new ErasureOperation(erasure, administrators, () -> open);
    restfulServer.registerProvider(operation);
    return operation;
  }
}
