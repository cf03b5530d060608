package org.chartproof.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jwt.BadJwtException;

/**
 * The {@code jti} of every client assertion accepted, kept until the assertion expires, so that a
 * captured assertion cannot be replayed (SMART Backend Services). In the database, so that several
 * server instances share it.
 */
final class AssertionReplayStore {

  private static final long PURGE_EVERY_MILLIS = 60_000;

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final long skewMillis;
  private final AtomicLong lastPurge = new AtomicLong();

  /**
   * @param skew how long after its {@code exp} an assertion is still accepted (clock skew): its id
   *     is kept at least that long
   */
  AssertionReplayStore(JdbcTemplate jdbc, Clock clock, Duration skew) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.skewMillis = skew.toMillis();
  }

  /**
   * Records an assertion's id.
   *
   * @throws BadJwtException if the client used the same id before
   */
  void record(String clientId, String jti, Instant expiresAt) {
    purgeExpired();
    try {
      jdbc.update(
          "INSERT INTO cp_auth_assertion (client_id, jti, expires_at) VALUES (?, ?, ?)",
          clientId,
          jti,
          expiresAt.toEpochMilli());
    } catch (DuplicateKeyException e) {
      throw new BadJwtException("the client assertion was used before (jti replayed)");
    }
  }

  private void purgeExpired() {
    long now = clock.millis();
    long last = lastPurge.get();
    if (now - last >= PURGE_EVERY_MILLIS && lastPurge.compareAndSet(last, now)) {
      // an assertion past its exp (and the skew) is refused anyway; its id need not be kept
      jdbc.update("DELETE FROM cp_auth_assertion WHERE expires_at < ?", now - skewMillis);
    }
  }
}
