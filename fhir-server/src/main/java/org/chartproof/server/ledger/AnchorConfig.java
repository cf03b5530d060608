package org.chartproof.server.ledger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.time.Clock;
import org.chartproof.ledger.anchor.Anchor;
import org.chartproof.ledger.anchor.EvmAnchor;
import org.chartproof.ledger.anchor.SubmitterKeys;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.NoteSigner;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.web3j.crypto.Credentials;

/**
 * Anchoring the ledger's checkpoints on an EVM chain (issue 4; docs/ledger.md, chain/README.md),
 * when {@code chartproof.anchor.enabled=true}. Off by default: the embedded default runs without a
 * chain.
 */
@Configuration
@ConditionalOnProperty(prefix = "chartproof.anchor", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(AnchorProperties.class)
class AnchorConfig {

  @Bean
  Anchor anchor(AnchorProperties properties) {
    return EvmAnchor.connect(
        properties.rpcUrl(),
        properties.contractAddress(),
        submitter(properties),
        EvmAnchor.Settings.DEFAULTS.withConfirmations(properties.confirmations()));
  }

  @Bean
  AnchorPublisher anchorPublisher(
      Anchor anchor, LedgerStore store, NoteSigner logSigner, AnchorProperties properties) {
    byte[] logId =
        ChainLink.noteHash(logSigner.verifierKey().encode().getBytes(StandardCharsets.UTF_8));
    return new AnchorPublisher(
        anchor, store, properties.contractAddress(), logId, Clock.systemUTC());
  }

  @Bean
  BackgroundLoop anchorSchedule(AnchorPublisher publisher, AnchorProperties properties) {
    return new BackgroundLoop("ledger-anchor", properties.interval(), publisher::publishOnce);
  }

  /** Up while anchoring works; the details show the lag. Writes go on either way. */
  @Bean
  HealthIndicator anchorHealthIndicator(AnchorPublisher publisher) {
    return () -> {
      AnchorStatus status = publisher.status();
      Health.Builder health = status.lastError() == null ? Health.up() : Health.unknown();
      return health.withDetails(status.toMap()).build();
    };
  }

  @Bean
  MeterBinder anchorMetrics(AnchorPublisher publisher) {
    return registry -> {
      Gauge.builder("chartproof.anchor.lag.entries", () -> publisher.status().lagEntries())
          .description("checkpointed ledger entries not yet anchored on chain")
          .register(registry);
      Gauge.builder("chartproof.anchor.lag.seconds", () -> publisher.status().lagSeconds())
          .description("age of the oldest checkpoint not yet anchored")
          .register(registry);
      Gauge.builder(
              "chartproof.anchor.tree.size",
              () -> {
                AnchorStatus.AnchorRecord anchored = publisher.status().anchored();
                return anchored == null ? 0 : anchored.treeSize();
              })
          .description("tree size of the newest anchored checkpoint")
          .register(registry);
      Gauge.builder(
              "chartproof.anchor.chain.reachable",
              () -> publisher.status().chainReachable() ? 1 : 0)
          .register(registry);
    };
  }

  private static Credentials submitter(AnchorProperties properties) {
    if (properties.submitterKeystore() == null) {
      return SubmitterKeys.fromPrivateKey(properties.submitterPrivateKey());
    }
    try {
      String password =
          Files.readString(properties.submitterKeystorePasswordFile(), StandardCharsets.UTF_8)
              .strip();
      return SubmitterKeys.fromKeystore(properties.submitterKeystore(), password);
    } catch (IOException | InvalidKeyException e) {
      throw new IllegalStateException(
          "Cannot load the anchor submitter key from "
              + properties.submitterKeystore()
              + ": "
              + e.getClass().getSimpleName());
    }
  }
}
