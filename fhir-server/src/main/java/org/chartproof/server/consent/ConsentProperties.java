package org.chartproof.server.consent;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.chartproof.consent.BasePolicy;
import org.chartproof.consent.Policy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Consent enforcement ({@code chartproof.consent.*}, docs/adr/0007-consent-enforcement.md).
 *
 * @param enabled whether patients' Consents are enforced on every read (only with authorization on:
 *     with {@code chartproof.auth.mode=off} there is nobody to decide for)
 * @param basePolicy what holds where no Consent of the patient applies: {@code opt-in} (default:
 *     nothing is shared until the patient consents) or {@code opt-out}
 * @param breakGlass whether purpose of use ETREAT with a justification (header {@value
 *     ConsentService#BREAK_GLASS_HEADER}) opens a record regardless of Consents, flagged in the
 *     audit
 * @param defaultPurposes purposes of use (v3-ActReason codes) assumed for a token that declares
 *     none; empty by default, so that a Consent restricted to a purpose never matches a token that
 *     did not state it
 * @param cacheSize how many patients' compiled Consents are kept in memory
 * @param epochRefresh how often each instance reads the consent epoch ({@link EpochLease}); a
 *     Consent write waits up to about this long for the other instances to see it
 * @param epochLease how long an instance trusts an epoch it read; a Consent write waits this long
 *     (plus one refresh) for an instance that stopped refreshing, then forgets it. At least twice
 *     {@code epochRefresh}.
 */
@Validated
@ConfigurationProperties("chartproof.consent")
record ConsentProperties(
    @DefaultValue("true") boolean enabled,
    @NotNull @DefaultValue("opt-in") BasePolicy basePolicy,
    @DefaultValue("true") boolean breakGlass,
    @NotNull @DefaultValue List<String> defaultPurposes,
    @Min(1) @DefaultValue("10000") int cacheSize,
    @NotNull @DefaultValue("100ms") Duration epochRefresh,
    @NotNull @DefaultValue("2s") Duration epochLease) {

  /** The engine's policy for these settings. */
  Policy policy() {
    return new Policy(basePolicy, breakGlass);
  }
}
