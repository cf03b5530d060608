package org.chartproof.server.auth;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The authorization server's record of grants, in the database ({@code oauth2_authorization},
 * auth/schema.sql), so that codes and refresh tokens work on every server instance and survive a
 * restart. Keeps no record of client_credentials grants: their access tokens are self-contained,
 * short-lived JWTs that nothing looks up again, and one row per token would grow without bound;
 * such tokens therefore cannot be revoked before they expire ({@code
 * chartproof.auth.access-token-ttl}). Records whose last token has expired are deleted, at most
 * once per {@link #PURGE_INTERVAL}, by the next save.
 */
final class NoClientCredentialsKept implements OAuth2AuthorizationService {

  static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

  private final OAuth2AuthorizationService stored;
  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final AtomicReference<Instant> nextPurge = new AtomicReference<>(Instant.MIN);

  NoClientCredentialsKept(JdbcTemplate jdbc, RegisteredClientRepository clients, Clock clock) {
    this.stored = new JdbcOAuth2AuthorizationService(jdbc, clients);
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(
        authorization.getAuthorizationGrantType())) {
      stored.save(authorization);
      purgeExpired();
    }
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    stored.remove(authorization);
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return stored.findById(id);
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    return stored.findByToken(token, tokenType);
  }

  /** Deletes records whose latest token (refresh, else access, else code) has expired. */
  private void purgeExpired() {
    Instant now = clock.instant();
    Instant due = nextPurge.get();
    if (now.isBefore(due) || !nextPurge.compareAndSet(due, now.plus(PURGE_INTERVAL))) {
      return;
    }
    jdbc.update(
        "DELETE FROM oauth2_authorization WHERE COALESCE(refresh_token_expires_at,"
            + " access_token_expires_at, authorization_code_expires_at) < ?",
        Timestamp.from(now));
  }
}
