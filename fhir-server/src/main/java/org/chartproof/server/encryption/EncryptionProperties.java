package org.chartproof.server.encryption;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Encryption of stored resource bodies ({@code chartproof.encryption.*}, docs/encryption.md).
 *
 * @param enabled new versions are stored encrypted; off only to measure its cost (versions stored
 *     encrypted earlier stay readable)
 * @param indexPersonalData whether HAPI indexes patients' names, telecom, addresses, birth dates
 *     and identifiers in its plaintext search tables; false stops it, and searches on those
 *     parameters are refused (docs/encryption.md)
 * @param keyCacheSize unwrapped data keys kept in memory
 * @param keyRecheck how often this instance checks whether a data key was destroyed through another
 *     instance (the shredding epoch); a destroyed key may decrypt here for that long
 */
@Validated
@ConfigurationProperties("chartproof.encryption")
public record EncryptionProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("true") boolean indexPersonalData,
    @DefaultValue("10000") @Min(1) int keyCacheSize,
    @NotNull @DefaultValue("2s") Duration keyRecheck) {}
