package org.chartproof.server.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/** A request authenticated by a valid access token, with the identity read from it. */
final class IdentityAuthentication extends AbstractAuthenticationToken {

  private final AccessIdentity identity;
  private final Jwt token;

  IdentityAuthentication(AccessIdentity identity, Jwt token) {
    super(List.of());
    this.identity = identity;
    this.token = token;
    setAuthenticated(true);
  }

  AccessIdentity identity() {
    return identity;
  }

  /** When the token expires (checked tokens always have an exp). */
  java.time.Instant expiresAt() {
    return token.getExpiresAt();
  }

  @Override
  public Object getCredentials() {
    return token;
  }

  @Override
  public Object getPrincipal() {
    return identity.subject();
  }
}
