package org.chartproof.server.auth;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps no record of client_credentials grants: their access tokens are self-contained, short-lived
 * JWTs that nothing looks up again, and keeping one record per token would grow without bound. Such
 * tokens therefore cannot be revoked before they expire ({@code chartproof.auth.access-token-
 * ttl}). Other grants are kept in memory.
 */
final class NoClientCredentialsKept implements OAuth2AuthorizationService {

  private final OAuth2AuthorizationService others = new InMemoryOAuth2AuthorizationService();

  @Override
  public void save(OAuth2Authorization authorization) {
    if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(
        authorization.getAuthorizationGrantType())) {
      others.save(authorization);
    }
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    others.remove(authorization);
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return others.findById(id);
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    return others.findByToken(token, tokenType);
  }
}
