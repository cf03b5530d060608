package org.chartproof.server.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The access log ({@code chartproof.audit.*}); it records consent decisions, so it runs when
 * consent enforcement does.
 *
 * @param enabled whether decisions are recorded (off only to measure its cost: patients then see no
 *     access log)
 * @param writers how many group commits may be in progress at once: one makes the largest groups
 *     (while it commits, arriving requests queue for the next), the fewest commits and the least
 *     database work; more shorten the wait when the database has CPU to spare
 * @param maxBatch the most AuditEvents one group commit writes
 * @param commitTimeout how long a request waits for its decisions to be committed before it fails
 * @param commitDelay how long a commit may wait for requests already in progress when it began to
 *     submit their decisions too, so that they share it (0: commit at once); a request that arrives
 *     later never holds a commit up
 */
@Validated
@ConfigurationProperties("chartproof.audit")
public record AuditProperties(
    @DefaultValue("true") boolean enabled,
    @Min(1) @Max(64) @DefaultValue("1") int writers,
    @Min(1) @Max(10_000) @DefaultValue("1000") int maxBatch,
    @NotNull @DefaultValue("10s") Duration commitTimeout,
    @NotNull @DefaultValue("5ms") Duration commitDelay) {}
