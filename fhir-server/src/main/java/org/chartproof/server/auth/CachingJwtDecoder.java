package org.chartproof.server.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Remembers tokens that passed every check, until they expire, so that a client sending the same
 * token with every request (as SMART clients do for its 10 minutes) pays for the signature check
 * and parsing once. The key is the whole token, signature included: a changed token is checked
 * afresh. The checks themselves must not depend on the request (the issuer and audience are fixed
 * at startup). Bounded: the cache starts over when it holds {@code maxEntries} tokens.
 */
final class CachingJwtDecoder implements JwtDecoder {

  private final JwtDecoder delegate;
  private final Clock clock;
  private final int maxEntries;
  private final Map<String, Jwt> checked = new ConcurrentHashMap<>();

  CachingJwtDecoder(JwtDecoder delegate, Clock clock, int maxEntries) {
    this.delegate = delegate;
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  @Override
  public Jwt decode(String token) {
    Jwt jwt = checked.get(token);
    if (jwt != null) {
      if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isAfter(clock.instant())) {
        return jwt;
      }
      checked.remove(token);
    }
    jwt = delegate.decode(token); // throws for any token that fails a check
    if (jwt.getExpiresAt() != null) {
      if (checked.size() >= maxEntries) {
        checked.clear();
      }
      checked.put(token, jwt);
    }
    return jwt;
  }
}
