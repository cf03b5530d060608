package org.chartproof.server.encryption;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.esr.ExternallyStoredResourceServiceRegistry;
import ca.uhn.fhir.jpa.search.cache.ISearchCacheSvc;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import javax.sql.DataSource;
import org.chartproof.server.erasure.PatientKeyShredder;
import org.springframework.beans.factory.config.BeanPostProcessor;
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
 * Encryption at rest of every stored resource body (docs/encryption.md, ADR 0008): AES-256-GCM
 * under a data key per patient compartment, data keys wrapped by the {@link KeyEncryptionKeys}.
 * Always loaded, so that encrypted versions stay readable; {@code chartproof.encryption.enabled}
 * decides whether new versions are encrypted.
 */
@Configuration
@EnableConfigurationProperties(EncryptionProperties.class)
public class EncryptionConfig {

  @Bean
  DataKeys dataKeys(
      DataSource dataSource,
      PlatformTransactionManager transactionManager,
      KeyEncryptionKeys keyEncryptionKeys,
      EncryptionProperties properties) {
    new ResourceDatabasePopulator(
            new ClassPathResource("encryption/data-keys.sql"),
            new ClassPathResource("encryption/bodies.sql"))
        .execute(dataSource);
    TransactionTemplate newTransaction = new TransactionTemplate(transactionManager);
    newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    DataKeys keys =
        new DataKeys(
            new JdbcTemplate(dataSource),
            newTransaction,
            keyEncryptionKeys,
            new SecureRandom(),
            Clock.systemUTC(),
            properties.keyCacheSize(),
            properties.keyRecheck());
    keys.ensureEpochRow();
    return keys;
  }

  /**
   * Serves encrypted bodies to HAPI, encrypts new versions (on the JPA interceptor service, so
   * bundles and internal writes are covered) and answers decryption failures with a clear
   * OperationOutcome.
   */
  @Bean
  EncryptedBodies encryptedBodies(
      FhirContext fhirContext,
      DataSource dataSource,
      DataKeys dataKeys,
      ExternallyStoredResourceServiceRegistry registry,
      IInterceptorService jpaInterceptors,
      RestfulServer restfulServer,
      EncryptionProperties properties) {
    EncryptedBodies bodies =
        new EncryptedBodies(
            fhirContext, new BodyStore(new JdbcTemplate(dataSource)), dataKeys, new SecureRandom());
    registry.registerProvider(bodies);
    jpaInterceptors.registerInterceptor(
        new BodySealing(fhirContext, bodies, new Compartments(fhirContext), properties.enabled()));
    restfulServer.registerInterceptor(new EncryptionErrors());
    return bodies;
  }

  @Bean
  PatientKeyShredder patientKeyShredder(DataKeys dataKeys) {
    return new KeyShredder(dataKeys);
  }

  /**
   * With {@code index-personal-data=false}: HAPI stops extracting personal search values, and
   * searches by them are refused.
   */
  @Bean
  Object personalDataIndex(
      EncryptionProperties properties,
      ISearchParamExtractor extractor,
      ISearchParamRegistry registry,
      RestfulServer restfulServer) {
    if (properties.indexPersonalData()) {
      return "personal data indexed";
    }
    PersonalDataIndex.stopIndexing(extractor, registry);
    PersonalDataIndex refusal = new PersonalDataIndex();
    restfulServer.registerInterceptor(refusal);
    return refusal;
  }

  /** HAPI's search cache, storing an HMAC of each query string instead of the string. */
  @Bean
  static BeanPostProcessor searchQueryHashing() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof ISearchCacheSvc hapi && !(bean instanceof SearchQueryHashing)
            ? new SearchQueryHashing(hapi, new SecureRandom())
            : bean;
      }
    };
  }
}
