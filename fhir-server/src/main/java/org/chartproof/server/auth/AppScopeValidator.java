package org.chartproof.server.auth;

import java.util.function.Consumer;
import org.chartproof.server.auth.SmartScope.Context;
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
 * scope; a {@code launch} parameter naming a launch context the user may use (EHR launch, or the
 * {@link PatientPicker}), required with the {@code launch} scope and, for users who are not
 * patients, with {@code launch/patient}.
 */
final class AppScopeValidator
    implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

  static final String LAUNCH = "launch";

  private final UserAccounts users;
  private final LaunchContexts launches;

  AppScopeValidator(UserAccounts users, LaunchContexts launches) {
    this.users = users;
    this.launches = launches;
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
        throw invalid(request, client, OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage());
      }
      if (scope.context() == Context.SYSTEM || !registered.covers(scope)) {
        throw invalid(
            request, client, OAuth2ErrorCodes.INVALID_SCOPE, "the app may not ask for " + text);
      }
    }
    Authentication user = (Authentication) request.getPrincipal();
    // before login the principal is anonymous; Spring validates again once the user has logged in
    boolean loggedIn = UserAccounts.loggedIn(user);
    Object launch = request.getAdditionalParameters().get(LAUNCH);
    if (launch == null && request.getScopes().contains(LAUNCH)) {
      throw invalid(
          request,
          client,
          OAuth2ErrorCodes.INVALID_REQUEST,
          "scope launch needs a launch parameter");
    }
    if (!loggedIn) {
      return;
    }
    boolean isPatient =
        users.find(user.getName()).map(UserAccounts::patientOf).orElse(null) != null;
    if (launch != null
        && !isPatient
        && launches.patientFor(launch.toString(), user.getName()).isEmpty()) {
      throw invalid(
          request, client, OAuth2ErrorCodes.INVALID_REQUEST, "unknown or expired launch context");
    }
    if (launch == null && !isPatient && request.getScopes().contains("launch/patient")) {
      throw invalid(
          request,
          client,
          OAuth2ErrorCodes.INVALID_REQUEST,
          "launch/patient: choose a patient in " + PatientPicker.PATH + " first");
    }
  }

  private static OAuth2AuthorizationCodeRequestAuthenticationException invalid(
      OAuth2AuthorizationCodeRequestAuthenticationToken request,
      RegisteredClient client,
      String code,
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
        new OAuth2Error(code, description, null), result);
  }
}
