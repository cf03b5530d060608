package org.chartproof.server.auth;

import java.util.Set;
import java.util.function.Consumer;
import org.chartproof.server.auth.SmartScope.Context;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;

/**
 * Which scopes a Backend Services client may be granted: at least one, {@code system/} only, each
 * within a scope the client is registered with ({@code system/Observation.rs} within {@code
 * system/*.cruds}). Anything else is {@code invalid_scope} (400): no silent narrowing.
 */
final class SmartScopeValidator implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

  @Override
  public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
    OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
    Set<String> requested = request.getScopes();
    if (requested.isEmpty()) {
      throw invalidScope("request at least one system/ scope");
    }
    SmartScopes registered = SmartScopes.parse(context.getRegisteredClient().getScopes());
    for (String text : requested) {
      SmartScope scope;
      try {
        scope = SmartScope.parse(text);
      } catch (IllegalArgumentException e) {
        throw invalidScope(e.getMessage());
      }
      if (scope.context() != Context.SYSTEM) {
        throw invalidScope("client_credentials grants system/ scopes only, not " + text);
      }
      if (!registered.covers(scope)) {
        throw invalidScope("the client is not registered for " + text);
      }
    }
  }

  private static OAuth2AuthenticationException invalidScope(String description) {
    return new OAuth2AuthenticationException(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, description, null));
  }
}
