package org.chartproof.server.ledger;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The tamper-evident ledger ({@code chartproof.ledger.*}).
 *
 * @param origin the log's name, first line of every checkpoint and name of its signing key (C2SP
 *     tlog-checkpoint): unique per deployment, e.g. {@code fhir.example-hospital.org/ledger}
 * @param signingKeyFile file holding the log's Ed25519 private key (32-byte seed, base64); created
 *     on first start when absent, with a warning, under the data directory by default
 * @param pseudonymKeyFile file holding the key (32 bytes, base64) of the keyed pseudonyms that
 *     stand for resource ids and actors in entries; created on first start when absent
 * @param checkpointInterval how often the sequencer integrates new entries and signs a checkpoint
 * @param batchSize the most entries integrated into one checkpoint
 */
@Validated
@ConfigurationProperties("chartproof.ledger")
public record LedgerProperties(
    @NotBlank @DefaultValue("chartproof.localhost/ledger") String origin,
    @NotNull Path signingKeyFile,
    @NotNull Path pseudonymKeyFile,
    @NotNull @DefaultValue("250ms") Duration checkpointInterval,
    @Min(1) @DefaultValue("10000") int batchSize) {

  public LedgerProperties {
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("chartproof.ledger.checkpoint-interval must be positive");
    }
    if (checkpointInterval.compareTo(Duration.ofSeconds(1)) > 0) {
      // the ledger promises a checkpoint at least once a second while entries arrive
      throw new IllegalArgumentException("chartproof.ledger.checkpoint-interval must be <= 1s");
    }
  }
}
