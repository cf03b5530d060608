package org.chartproof.server.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Remembers tokens that passed every check, until they expire, so that a client sending the same
 * token with every request (as SMART clients do for its 10 minutes) pays for the signature check
 * and parsing once. The key is the whole token, signature included, plus the base URL it was
 * checked for (its audience): a changed token or another audience is checked afresh. Bounded: the
 * cache starts over when it holds {@code maxEntries} tokens.
 */
final class CachingJwtDecoder implements JwtDecoder {

  private final JwtDecoder delegate;
  private final Supplier<String> audience;
  private final Clock clock;
  private final int maxEntries;
  private final Map<String, Jwt> checked = new ConcurrentHashMap<>();

  /**
   * @param audience the audience the delegate checks tokens against, part of the cache key when it
   *     depends on the request
   */
  CachingJwtDecoder(JwtDecoder delegate, Supplier<String> audience, Clock clock, int maxEntries) {
    this.delegate = delegate;
    this.audience = audience;
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  @Override
  public Jwt decode(String token) {
    String key = audience.get() + " " + token;
    Jwt jwt = checked.get(key);
    if (jwt != null) {
      if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isAfter(clock.instant())) {
        return jwt;
      }
      checked.remove(key);
    }
    jwt = delegate.decode(token); // throws for any token that fails a check
    if (jwt.getExpiresAt() != null) {
      if (checked.size() >= maxEntries) {
        checked.clear();
      }
      checked.put(key, jwt);
    }
    return jwt;
  }
}
