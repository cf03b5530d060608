package org.chartproof.server.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * Turns the bearer token of a FHIR request into its {@link IdentityAuthentication}: checked by the
 * decoder (signature, expiry, issuer, audience), its claims read ({@link AccessTokens}), and the
 * result remembered until the token expires, so that a client sending the same token with every
 * request (as SMART clients do for its 10 minutes) pays for the signature check and the claims
 * once. The key is the whole token, signature included: a changed token is checked afresh. The
 * checks must not depend on the request (the issuer and audience are fixed at startup). Bounded:
 * the cache starts over when it holds {@code maxEntries} tokens.
 *
 * <p>In place of Spring's provider chain, which per request would also publish an event, erase
 * credentials and convert the claims again; the refusals are Spring's ({@code 401 invalid_token}).
 */
final class BearerTokens implements AuthenticationManager, BearerTokenResolver {

  private static final String BEARER = "Bearer ";

  private final JwtDecoder decoder;
  private final Converter<Jwt, AbstractAuthenticationToken> identities;
  private final Clock clock;
  private final int maxEntries;
  private final Map<String, IdentityAuthentication> checked = new ConcurrentHashMap<>();

  BearerTokens(
      JwtDecoder decoder,
      Converter<Jwt, AbstractAuthenticationToken> identities,
      Clock clock,
      int maxEntries) {
    this.decoder = decoder;
    this.identities = identities;
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  @Override
  public Authentication authenticate(Authentication request) {
    String token = ((BearerTokenAuthenticationToken) request).getToken();
    Instant now = clock.instant();
    IdentityAuthentication known = checked.get(token);
    if (known != null) {
      if (known.expiresAt().isAfter(now)) {
        return known;
      }
      checked.remove(token);
    }
    Jwt jwt;
    try {
      jwt = decoder.decode(token); // throws for any token that fails a check
    } catch (BadJwtException e) {
      throw new InvalidBearerTokenException(e.getMessage(), e);
    } catch (JwtException e) {
      throw new AuthenticationServiceException(e.getMessage(), e);
    }
    IdentityAuthentication identity = (IdentityAuthentication) identities.convert(jwt);
    if (checked.size() >= maxEntries) {
      checked.clear();
    }
    checked.put(token, identity);
    return identity;
  }

  /**
   * The token of an {@code Authorization: Bearer} header (RFC 6750 section 2.1, header only), or
   * null when there is none. Checked character by character: Spring's resolver runs a regular
   * expression over the whole token on every request.
   *
   * @throws InvalidBearerTokenException if the header is malformed
   */
  @Override
  public String resolve(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = header.substring(BEARER.length());
    int padding = token.length();
    while (padding > 0 && token.charAt(padding - 1) == '=') {
      padding--;
    }
    boolean valid = padding > 0;
    for (int i = 0; i < padding && valid; i++) {
      char c = token.charAt(i);
      valid =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || "-._~+/".indexOf(c) >= 0;
    }
    if (!valid) {
      throw new InvalidBearerTokenException("Bearer token is malformed");
    }
    return token;
  }
}
