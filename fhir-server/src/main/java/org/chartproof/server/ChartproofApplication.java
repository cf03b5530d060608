package org.chartproof.server;

import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ch.qos.logback.classic.Level;
import java.util.Arrays;
import org.chartproof.server.audit.AuditConfig;
import org.chartproof.server.auth.AuthConfig;
import org.chartproof.server.consent.ConsentConfig;
import org.chartproof.server.encryption.EncryptionConfig;
import org.chartproof.server.encryption.KeyRotationConfig;
import org.chartproof.server.encryption.KeySourceConfig;
import org.chartproof.server.erasure.ErasureConfig;
import org.chartproof.server.fhir.FhirRestConfig;
import org.chartproof.server.ledger.DeployAnchorCommand;
import org.chartproof.server.ledger.LedgerConfig;
import org.chartproof.server.ledger.VerifyCommand;
import org.chartproof.server.storage.JpaStorageConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.data.elasticsearch.ElasticsearchDataAutoConfiguration;
import org.springframework.boot.autoconfigure.data.elasticsearch.ElasticsearchRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Chartproof: a FHIR R4 server on HAPI FHIR JPA.
 *
 * <p>Start reading here: the {@code @Import} list names every feature the server is made of. HAPI's
 * classpath triggers Spring Boot auto-configurations that Chartproof does not use (Elasticsearch,
 * Thymeleaf, Flyway); they are excluded so that nothing starts that nobody asked for. There is no
 * component scan: a class takes part only if it is imported here or by a configuration imported
 * here.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
    exclude = {
      ElasticsearchClientAutoConfiguration.class,
      ElasticsearchRestClientAutoConfiguration.class,
      ElasticsearchDataAutoConfiguration.class,
      ElasticsearchRepositoriesAutoConfiguration.class,
      ThymeleafAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      // AuthConfig sets up authorization itself; these would add a generated password user, a
      // random per-JVM token key and security chains of their own
      UserDetailsServiceAutoConfiguration.class,
      OAuth2AuthorizationServerAutoConfiguration.class,
      OAuth2AuthorizationServerJwtAutoConfiguration.class,
      OAuth2ResourceServerAutoConfiguration.class
    })
@Import({
  JpaStorageConfig.class, // HAPI JPA storage for FHIR R4 on H2 or PostgreSQL
  EncryptionConfig.class, // every stored resource body encrypted, a data key per patient
  SubscriptionChannelConfig.class, // in-memory message broker that HAPI's Batch2 jobs need
  FhirRestConfig.class, // the FHIR REST endpoint at /fhir, its interceptors and input checks
  AuthConfig.class, // SMART on FHIR: the embedded authorization server, tokens and scopes
  ConsentConfig.class, // patients' Consents enforced on every read
  AuditConfig.class, // the access log: every consent decision recorded, ledgered, served
  LedgerConfig.class, // the tamper-evident ledger: sequencer, signed checkpoints, /ledger endpoints
  KeySourceConfig.class, // key-encryption keys: a PKCS#12 keystore or an HSM over PKCS#11
  KeyRotationConfig.class, // online KEK rotation and retirement, /admin/keys for administrators
  ErasureConfig.class // Patient/{id}/$erase: erasure on request by crypto-shredding
})
public class ChartproofApplication {

  /**
   * Starts the server, or runs a command instead and exits with its status: {@code verify} (the
   * auditor's check, {@link VerifyCommand}) or {@code deploy-anchor} (a log's anchor contract,
   * {@link DeployAnchorCommand}).
   */
  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("deploy-anchor") || args[0].equals("verify"))) {
      // commands print their report on stdout; libraries' INFO lines would mix into it
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
          .setLevel(Level.WARN);
    }
    if (args.length > 0 && args[0].equals("deploy-anchor")) {
      System.exit(
          DeployAnchorCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("verify")) {
      System.exit(
          VerifyCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    SpringApplication.run(ChartproofApplication.class, args);
  }
}
