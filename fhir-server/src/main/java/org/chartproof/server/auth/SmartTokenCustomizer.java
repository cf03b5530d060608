package org.chartproof.server.auth;

import java.util.List;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes access tokens for the FHIR endpoint: audience the FHIR base URL, scopes as one
 * space-separated string (as SMART apps and other resource servers expect), and the client id.
 */
final class SmartTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

  @Override
  public void customize(JwtEncodingContext context) {
    if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      return;
    }
    context
        .getClaims()
        .audience(
            List.of(context.getAuthorizationServerContext().getIssuer() + AuthConfig.FHIR_PATH))
        .claim(AccessTokens.SCOPE, String.join(" ", context.getAuthorizedScopes()))
        .claim(AccessTokens.CLIENT_ID, context.getRegisteredClient().getClientId());
  }
}
