package org.chartproof.server.encryption;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.Administrators;
import org.chartproof.server.auth.AuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Online KEK rotation and its administration endpoints ({@code /admin/keys}, docs/keys.md). A
 * rotation left running by a crash or shutdown resumes once the server is ready.
 */
@Configuration
public class KeyRotationConfig {
  private static final Logger log = LoggerFactory.getLogger(KeyRotationConfig.class);

  @Bean(destroyMethod = "close")
  KeyRotation keyRotation(
      DataSource dataSource,
      PlatformTransactionManager transactionManager,
      KeyEncryptionKeys keyEncryptionKeys,
      KeySourceProperties properties) {
    new ResourceDatabasePopulator(
            new ClassPathResource("encryption/data-keys.sql"),
            new ClassPathResource("encryption/rotation.sql"))
        .execute(dataSource);
    return new KeyRotation(
        new JdbcTemplate(dataSource),
        new TransactionTemplate(transactionManager),
        keyEncryptionKeys,
        properties.rotation().batchSize(),
        Clock.systemUTC());
  }

  @Bean
  ApplicationListener<ApplicationReadyEvent> resumeKeyRotation(KeyRotation keyRotation) {
    return ready -> keyRotation.resume();
  }

  @Bean
  KeyAdminController keyAdminController(
      KeyRotation keyRotation, AuthProperties auth, KeySourceProperties properties) {
    return new KeyAdminController(keyRotation, administrator(auth, properties));
  }

  /**
   * Who may administer keys: {@link Administrators}; or anyone when authorization is off and {@code
   * chartproof.encryption.rotation.open-without-auth} says so (local use, loudly).
   */
  static Predicate<Optional<AccessIdentity>> administrator(
      AuthProperties auth, KeySourceProperties properties) {
    Administrators administrators = Administrators.of(auth);
    if (auth.mode() == AuthProperties.Mode.OFF && properties.rotation().openWithoutAuth()) {
      log.warn(
          "chartproof.encryption.rotation.open-without-auth=true with chartproof.auth.mode=off:"
              + " ANYONE who reaches this server can rotate and retire its keys (/admin/keys)."
              + " Use this only locally.");
      return identity -> true;
    }
    return identity -> identity.map(administrators::isAdministrator).orElse(false);
  }
}
