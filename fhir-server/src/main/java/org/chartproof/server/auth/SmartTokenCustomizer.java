package org.chartproof.server.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes the tokens for the FHIR endpoint. Access tokens: audience the FHIR base URL, scopes as one
 * space-separated string (as SMART apps and other resource servers expect), the client id, and for
 * a logged-in user their {@code fhirUser}, organization and the {@code patient} in context (a
 * patient's own; or the launch context's, from an EHR launch or the patient picker). ID tokens:
 * {@code fhirUser} as an absolute URL when the app asked for the {@code fhirUser} scope.
 */
final class SmartTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

  static final String FHIR_USER = "fhirUser";
  static final String ORGANIZATION = "organization";
  static final String PATIENT = "patient";

  private final UserAccounts users;
  private final LaunchContexts launches;

  SmartTokenCustomizer(UserAccounts users, LaunchContexts launches) {
    this.users = users;
    this.launches = launches;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    String fhirBase = context.getAuthorizationServerContext().getIssuer() + AuthConfig.FHIR_PATH;
    Optional<AuthProperties.User> user = user(context);
    if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      context
          .getClaims()
          // an ArrayList: the claims are stored (oauth2_authorization) with Spring Security's
          // Jackson allowlist, which has no entry for List.of's classes
          .audience(new ArrayList<>(List.of(fhirBase)))
          .claim(AccessTokens.SCOPE, String.join(" ", context.getAuthorizedScopes()))
          .claim(AccessTokens.CLIENT_ID, context.getRegisteredClient().getClientId());
      Object systemOrganization =
          context.getRegisteredClient().getClientSettings().getSetting(ClientRegistry.ORGANIZATION);
      if (user.isEmpty() && systemOrganization != null) {
        context.getClaims().claim(ORGANIZATION, systemOrganization.toString());
      }
      user.ifPresent(
          u -> {
            context.getClaims().claim(FHIR_USER, u.fhirUser());
            if (u.organization() != null) {
              context.getClaims().claim(ORGANIZATION, u.organization());
            }
            String patient = patientInContext(context, u);
            if (patient != null) {
              context.getClaims().claim(PATIENT, patient);
            }
          });
    } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
        && context.getAuthorizedScopes().contains(FHIR_USER)) {
      user.ifPresent(u -> context.getClaims().claim(FHIR_USER, fhirBase + "/" + u.fhirUser()));
    }
  }

  /**
   * The patient a user's token speaks for: a patient always themselves, whatever scopes the app got
   * (without it, user/ scopes would reach every patient's record); anyone else the patient of the
   * launch context the app was authorized with, kept on refresh; or none.
   */
  private String patientInContext(JwtEncodingContext context, AuthProperties.User user) {
    String self = UserAccounts.patientOf(user);
    if (self != null) {
      return self;
    }
    OAuth2Authorization authorization = context.getAuthorization();
    if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())) {
      OAuth2Authorization.Token<OAuth2AccessToken> previous = authorization.getAccessToken();
      Object patient = previous == null ? null : previous.getClaims().get(PATIENT);
      return patient == null ? null : patient.toString();
    }
    OAuth2AuthorizationRequest request =
        authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
    Object launch =
        request == null ? null : request.getAdditionalParameters().get(AppScopeValidator.LAUNCH);
    if (launch == null) {
      return null;
    }
    return launches
        .patientFor(launch.toString(), user.username())
        .orElseThrow(
            () ->
                new OAuth2AuthenticationException(
                    new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_GRANT,
                        "the launch context has expired; authorize again",
                        null)));
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
