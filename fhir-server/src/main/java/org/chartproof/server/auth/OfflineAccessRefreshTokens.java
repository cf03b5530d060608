package org.chartproof.server.auth;

import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens only for apps granted {@code offline_access} (SMART): Spring would issue one to
 * every client registered for the refresh_token grant, whatever it asked for.
 */
final class OfflineAccessRefreshTokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

  private final OAuth2RefreshTokenGenerator delegate = new OAuth2RefreshTokenGenerator();

  @Override
  public OAuth2RefreshToken generate(OAuth2TokenContext context) {
    return context.getAuthorizedScopes().contains("offline_access")
        ? delegate.generate(context)
        : null;
  }
}
