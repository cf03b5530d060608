package org.chartproof.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import java.time.Clock;
import javax.sql.DataSource;
import org.chartproof.consent.ConsentEngine;
import org.chartproof.server.audit.AccessLog;
import org.chartproof.server.auth.Patients;
import org.hl7.fhir.r4.model.Consent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Patients' Consents enforced on reads (docs/adr/0007-consent-enforcement.md): on whenever
 * authorization is ({@code chartproof.auth.mode} other than off) unless {@code
 * chartproof.consent.enabled=false}.
 */
@Configuration
@EnableConfigurationProperties(ConsentProperties.class)
public class ConsentConfig {

  private static final Logger log = LoggerFactory.getLogger(ConsentConfig.class);

  /**
   * Enforcement: the engine, the Consent cache, HAPI's consent interceptor, the search and write
   * rules.
   */
  @Configuration
  @ConditionalOnExpression(
      "!'${chartproof.auth.mode:embedded}'.equalsIgnoreCase('off')"
          + " and '${chartproof.consent.enabled:true}'.equalsIgnoreCase('true')")
  static class Enforced {

    /** The consent tables (consent/schema.sql), created if absent. */
    @Bean
    ConsentEpochs consentEpochs(DataSource dataSource) {
      new ResourceDatabasePopulator(new ClassPathResource("consent/schema.sql"))
          .execute(dataSource);
      return new ConsentEpochs(new JdbcTemplate(dataSource));
    }

    /** The epoch as this instance knows it, refreshed in the background. */
    @Bean(destroyMethod = "close")
    EpochLease epochLease(
        ConsentEpochs epochs,
        PlatformTransactionManager transactions,
        ConsentProperties properties) {
      TransactionTemplate separately = new TransactionTemplate(transactions);
      separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
      return EpochLease.start(
          epochs, separately, properties.epochRefresh(), properties.epochLease());
    }

    @Bean
    ConsentEngine consentEngine(ConsentProperties properties) {
      log.info(
          "Consent enforcement on: base policy {}, break-glass {}",
          properties.basePolicy(),
          properties.breakGlass() ? "on" : "off");
      return new ConsentEngine(properties.policy());
    }

    @Bean
    ConsentCache consentCache(
        ConsentEngine engine,
        DaoRegistry daos,
        ConsentEpochs epochs,
        PlatformTransactionManager transactions,
        ConsentProperties properties) {
      return new ConsentCache(
          engine, daos.getResourceDao(Consent.class), epochs, transactions, properties.cacheSize());
    }

    @Bean
    ConsentInterceptor consentInterceptor(
        RestfulServer server,
        ConsentEngine engine,
        ConsentCache cache,
        ConsentEpochs epochs,
        EpochLease lease,
        FhirContext fhirContext,
        DaoRegistry daos,
        PlatformTransactionManager transactions,
        ConsentProperties properties) {
      ConsentDecider decider = new ConsentDecider(engine, cache, fhirContext, Clock.systemUTC());
      RequesterResolver requesters =
          new RequesterResolver(daos, epochs, transactions, properties.cacheSize());
      ConsentInterceptor interceptor =
          new ConsentInterceptor(
              new ConsentService(
                  decider, lease, requesters, fhirContext, properties.defaultPurposes()));
      server.registerInterceptor(interceptor);
      return interceptor;
    }

    /**
     * On the REST server, whose interceptors HAPI calls for the searches of its requests
     * (transaction entries and conditional matches included).
     */
    @Bean
    ConsentSearchRule consentSearchRule(RestfulServer server, FhirContext fhirContext) {
      ConsentSearchRule rule = new ConsentSearchRule(fhirContext);
      server.registerInterceptor(rule);
      return rule;
    }

    /** Every decision into the access log before the response, unless the log is off. */
    @Configuration
    @ConditionalOnProperty(
        name = "chartproof.audit.enabled",
        havingValue = "true",
        matchIfMissing = true)
    static class Audited {

      @Bean
      AccessAudit accessAudit(RestfulServer server, AccessLog accessLog) {
        AccessAudit audit = new AccessAudit(accessLog, server.getFhirContext());
        server.registerInterceptor(audit);
        return audit;
      }
    }

    /** On the REST server: it judges the token of the request that writes. */
    @Bean
    ConsentWriteRule consentWriteRule(RestfulServer server, DaoRegistry daos) {
      ConsentWriteRule rule = new ConsentWriteRule(new Patients(daos));
      server.registerInterceptor(rule);
      return rule;
    }

    /**
     * On the JPA interceptor service: every Consent write, also inside bundles, bumps the epoch.
     */
    @Bean
    ConsentChangeTracker consentChangeTracker(
        ConsentEpochs epochs, EpochLease lease, IInterceptorService jpaInterceptors) {
      ConsentChangeTracker tracker = new ConsentChangeTracker(epochs, lease);
      jpaInterceptors.registerInterceptor(tracker);
      return tracker;
    }
  }
}
