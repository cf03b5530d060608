package org.chartproof.server.auth;

import java.util.function.Consumer;
import org.chartproof.server.auth.SmartScope.Context;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * What a SMART app may ask for at the authorization endpoint: its redirect URI exactly as
 * registered (Spring's check), every scope within one it is registered for, no {@code system/}
 * scope, and {@code launch/patient} only for a user who is a patient (a practitioner would need a
 * patient picker, which the embedded server does not have yet).
 */
final class AppScopeValidator
    implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

  private final UserAccounts users;

  AppScopeValidator(UserAccounts users) {
    this.users = users;
  }

  @Override
  public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR.accept(
        context);
    OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
    RegisteredClient client = context.getRegisteredClient();
    SmartScopes registered = SmartScopes.parse(client.getScopes());
    for (String text : request.getScopes()) {
      SmartScope scope;
      try {
        scope = SmartScope.parse(text);
      } catch (IllegalArgumentException e) {
        throw invalidScope(request, client, e.getMessage());
      }
      if (scope.context() == Context.SYSTEM || !registered.covers(scope)) {
        throw invalidScope(request, client, "the app may not ask for " + text);
      }
    }
    Authentication user = (Authentication) request.getPrincipal();
    // before login the principal is anonymous; Spring validates again once the user has logged in
    boolean loggedIn =
        user != null && user.isAuthenticated() && !(user instanceof AnonymousAuthenticationToken);
    if (request.getScopes().contains("launch/patient") && loggedIn) {
      boolean isPatient =
          users.find(user.getName()).map(UserAccounts::patientOf).orElse(null) != null;
      if (!isPatient) {
        throw invalidScope(
            request, client, "launch/patient needs a patient picker; log in as the patient");
      }
    }
  }

  private static OAuth2AuthorizationCodeRequestAuthenticationException invalidScope(
      OAuth2AuthorizationCodeRequestAuthenticationToken request,
      RegisteredClient client,
      String description) {
    OAuth2AuthorizationCodeRequestAuthenticationToken result =
        new OAuth2AuthorizationCodeRequestAuthenticationToken(
            request.getAuthorizationUri(),
            request.getClientId(),
            (Authentication) request.getPrincipal(),
            request.getRedirectUri() != null
                ? request.getRedirectUri()
                : client.getRedirectUris().iterator().next(),
            request.getState(),
            request.getScopes(),
            request.getAdditionalParameters());
    result.setAuthenticated(true);
    return new OAuth2AuthorizationCodeRequestAuthenticationException(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, description, null), result);
  }
}
