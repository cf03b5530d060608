package org.chartproof.server.auth;

import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * Reads an access token's claims into an {@link AccessIdentity}, once per request. The claim names
 * are configurable for external issuers; Chartproof's own tokens use the defaults ({@link
 * SmartTokenCustomizer} writes them).
 */
final class AccessTokens implements Converter<Jwt, AbstractAuthenticationToken> {

  static final String SCOPE = "scope";
  static final String CLIENT_ID = "client_id";

  private final AuthProperties.Claims claims;

  AccessTokens(AuthProperties.Claims claims) {
    this.claims = claims;
  }

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    SmartScopes scopes;
    try {
      Object scope = jwt.getClaim(claims.scope());
      scopes =
          scope instanceof Collection<?> list
              ? SmartScopes.parse(list.stream().map(String::valueOf).toList())
              : SmartScopes.parse(scope == null ? null : scope.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidBearerTokenException("the token's scopes are not valid SMART scopes");
    }
    String clientId = jwt.getClaimAsString(claims.clientId());
    if (clientId == null) {
      clientId = jwt.getClaimAsString("azp");
    }
    if (clientId == null) {
      throw new InvalidBearerTokenException("the token names no client");
    }
    List<String> purposes = jwt.getClaimAsStringList(claims.purposeOfUse());
    AccessIdentity identity =
        new AccessIdentity(
            jwt.getSubject(),
            clientId,
            jwt.getClaimAsString(claims.fhirUser()),
            jwt.getClaimAsString(claims.organization()),
            patientId(
                jwt.getClaimAsString(claims.patient()), jwt.getClaimAsString(claims.fhirUser())),
            scopes,
            purposes == null ? List.of() : purposes);
    return new IdentityAuthentication(identity, jwt);
  }

  /**
   * The patient in context: the patient claim ({@code 123} or {@code Patient/123}), or else the
   * user's own record when the user is a patient ({@code fhirUser} {@code Patient/123}, possibly as
   * an absolute URL). A patient's token never goes without its patient, or {@code user/} scopes
   * would reach every record.
   */
  private static String patientId(String claim, String fhirUser) {
    if (claim == null || claim.isBlank()) {
      claim = AccessIdentity.patientOf(fhirUser);
      if (claim == null) {
        return null;
      }
    }
    String id = AccessIdentity.patientId(claim);
    if (id == null) {
      throw new InvalidBearerTokenException("the token's patient is not a FHIR id");
    }
    return id;
  }
}
