package org.chartproof.server.ledger;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Anchoring checkpoints on an EVM chain ({@code chartproof.anchor.*}); off by default: the embedded
 * default runs without a chain.
 *
 * @param enabled whether to anchor
 * @param rpcUrl the chain node's JSON-RPC endpoint, e.g. this institution's Besu validator
 * @param contractAddress the log's ChartproofAnchor contract (chain/README.md)
 * @param submitterKeystore an encrypted Web3 secret-storage key file for the submitter account
 * @param submitterKeystorePasswordFile a file holding that key file's password
 * @param submitterPrivateKey the submitter's hex private key, instead of a key file (set it from
 *     the environment: {@code CHARTPROOF_ANCHOR_SUBMITTER_PRIVATE_KEY}); never logged
 * @param interval how often the newest checkpoint is anchored when it changed
 * @param confirmations blocks to wait after inclusion (0 on a QBFT network, which is final)
 */
@Validated
@ConfigurationProperties("chartproof.anchor")
public record AnchorProperties(
    @DefaultValue("false") boolean enabled,
    URI rpcUrl,
    String contractAddress,
    Path submitterKeystore,
    Path submitterKeystorePasswordFile,
    String submitterPrivateKey,
    @NotNull @DefaultValue("10s") Duration interval,
    @Min(0) @DefaultValue("1") int confirmations) {

  public AnchorProperties {
    if (enabled) {
      if (rpcUrl == null || contractAddress == null || contractAddress.isBlank()) {
        throw new IllegalArgumentException(
            "chartproof.anchor.rpc-url and chartproof.anchor.contract-address are required when"
                + " chartproof.anchor.enabled=true");
      }
      boolean keystore = submitterKeystore != null;
      boolean privateKey = submitterPrivateKey != null && !submitterPrivateKey.isBlank();
      if (keystore == privateKey) {
        throw new IllegalArgumentException(
            "give exactly one submitter key: chartproof.anchor.submitter-keystore (with"
                + " submitter-keystore-password-file) or chartproof.anchor.submitter-private-key");
      }
      if (keystore && submitterKeystorePasswordFile == null) {
        throw new IllegalArgumentException(
            "chartproof.anchor.submitter-keystore-password-file is required with a keystore");
      }
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("chartproof.anchor.interval must be positive");
    }
  }

  /** Never shows the private key. */
  @Override
  public String toString() {
    return "AnchorProperties[enabled=%s, rpcUrl=%s, contractAddress=%s, submitterKeystore=%s,"
            .formatted(enabled, rpcUrl, contractAddress, submitterKeystore)
        + " submitterPrivateKey=%s, interval=%s, confirmations=%d]"
            .formatted(submitterPrivateKey == null ? "unset" : "(set)", interval, confirmations);
  }
}
