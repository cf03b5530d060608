package org.chartproof.server.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes the tokens for the FHIR endpoint. Access tokens: audience the FHIR base URL, scopes as one
 * space-separated string (as SMART apps and other resource servers expect), the client id, and for
 * a logged-in user their {@code fhirUser}, organization and, for a patient's own launch, the {@code
 * patient} in context. ID tokens: {@code fhirUser} as an absolute URL when the app asked for the
 * {@code fhirUser} scope.
 */
final class SmartTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

  static final String FHIR_USER = "fhirUser";
  static final String ORGANIZATION = "organization";
  static final String PATIENT = "patient";

  private final UserAccounts users;

  SmartTokenCustomizer(UserAccounts users) {
    this.users = users;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    String fhirBase = context.getAuthorizationServerContext().getIssuer() + AuthConfig.FHIR_PATH;
    Optional<AuthProperties.User> user = user(context);
    if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      context
          .getClaims()
          .audience(List.of(fhirBase))
          .claim(AccessTokens.SCOPE, String.join(" ", context.getAuthorizedScopes()))
          .claim(AccessTokens.CLIENT_ID, context.getRegisteredClient().getClientId());
      user.ifPresent(
          u -> {
            context.getClaims().claim(FHIR_USER, u.fhirUser());
            if (u.organization() != null) {
              context.getClaims().claim(ORGANIZATION, u.organization());
            }
            // a patient's token always speaks for that patient, whatever scopes the app got:
            // without it, user/ scopes would reach every patient's record
            String patient = UserAccounts.patientOf(u);
            if (patient != null) {
              context.getClaims().claim(PATIENT, patient);
            }
          });
    } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
        && context.getAuthorizedScopes().contains(FHIR_USER)) {
      user.ifPresent(u -> context.getClaims().claim(FHIR_USER, fhirBase + "/" + u.fhirUser()));
    }
  }

  private Optional<AuthProperties.User> user(JwtEncodingContext context) {
    AuthorizationGrantType grant = context.getAuthorizationGrantType();
    if (!AuthorizationGrantType.AUTHORIZATION_CODE.equals(grant)
        && !AuthorizationGrantType.REFRESH_TOKEN.equals(grant)) {
      return Optional.empty(); // a system (client_credentials): no user
    }
    return users.find(context.getPrincipal().getName());
  }
}
