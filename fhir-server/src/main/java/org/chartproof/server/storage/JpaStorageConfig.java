package org.chartproof.server.storage;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.chartproof.server.fhir.FhirProperties;
import org.hibernate.cfg.AvailableSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * HAPI FHIR JPA storage for FHIR R4 on the configured {@link DataSource} (H2 or PostgreSQL).
 *
 * <p>The Hibernate dialect is chosen from the database the DataSource connects to (see {@link
 * DatabaseDialect}), so switching to PostgreSQL needs only the standard {@code spring.datasource.*}
 * settings.
 */
@Configuration
@Import({
  JpaR4Config.class,
  HapiJpaConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  ThreadPoolFactoryConfig.class
})
@EnableConfigurationProperties({StorageProperties.class, JpaProperties.class})
public class JpaStorageConfig {

  @Bean
  public JpaStorageSettings jpaStorageSettings(FhirProperties fhir) {
    JpaStorageSettings settings = new JpaStorageSettings();
    settings.setReuseCachedSearchResultsForMillis(fhir.searchCache().toMillis());
    // A reference to a resource that does not exist is an error, never a silent placeholder.
    settings.setEnforceReferentialIntegrityOnWrite(true);
    settings.setAutoCreatePlaceholderReferenceTargets(false);
    settings.setAllowExternalReferences(false);
    settings.setDefaultSearchParamsCanBeOverridden(false);
    // Synthea and lab systems send conditional references such as Practitioner?identifier=...
    settings.setAllowInlineMatchUrlReferences(true);
    // Tags, profiles and security labels stay inside each stored version: a version's content
    // never changes after its write, which the ledger's commitments rely on (HAPI's default keeps
    // them per resource, so adding a tag would change every older version as served).
    settings.setTagStorageMode(JpaStorageSettings.TagStorageModeEnum.INLINE);
    return settings;
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  public SubscriptionSettings subscriptionSettings() {
    return new SubscriptionSettings();
  }

  /** The database the DataSource connects to, asked once at startup. */
  @Bean
  public DatabaseDialect databaseDialect(DataSource dataSource) {
    return DatabaseDialect.of(dataSource);
  }

  @Primary
  @Bean
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings,
      DataSource dataSource,
      DatabaseDialect databaseDialect,
      JpaProperties jpaProperties) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(
            beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);

    Map<String, Object> properties = new HashMap<>(hibernateDefaults(databaseDialect));
    properties.putAll(jpaProperties.getProperties()); // the operator's settings win
    factory.setJpaPropertyMap(properties);
    return factory;
  }

  @Primary
  @Bean
  public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }

  private static Map<String, Object> hibernateDefaults(DatabaseDialect databaseDialect) {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put(AvailableSettings.DIALECT, databaseDialect.hibernateDialect());
    defaults.put(AvailableSettings.HBM2DDL_AUTO, "update");
    defaults.put(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
    defaults.put(AvailableSettings.ORDER_INSERTS, "true");
    defaults.put(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
    defaults.put(AvailableSettings.USE_QUERY_CACHE, "false");
    defaults.put(AvailableSettings.SHOW_SQL, "false");
    defaults.put(
        AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
    defaults.put("hibernate.search.enabled", "false");
    return defaults;
  }
}
