package org.chartproof.server.auth;

import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * The claims of Chartproof's access tokens, written by {@link SmartTokenCustomizer} and read back
 * here into an {@link AccessIdentity} once per request.
 */
final class AccessTokens implements Converter<Jwt, AbstractAuthenticationToken> {

  static final String SCOPE = "scope";
  static final String CLIENT_ID = "client_id";
  static final String FHIR_USER = "fhirUser";
  static final String ORGANIZATION = "organization";
  static final String PATIENT = "patient";
  static final String PURPOSE_OF_USE = "purpose_of_use";

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    SmartScopes scopes;
    try {
      scopes = SmartScopes.parse(jwt.getClaimAsString(SCOPE));
    } catch (IllegalArgumentException e) {
      throw new InvalidBearerTokenException("the token's scopes are not valid SMART scopes");
    }
    String clientId = jwt.getClaimAsString(CLIENT_ID);
    if (clientId == null) {
      throw new InvalidBearerTokenException("the token names no client");
    }
    List<String> purposes = jwt.getClaimAsStringList(PURPOSE_OF_USE);
    AccessIdentity identity =
        new AccessIdentity(
            jwt.getSubject(),
            clientId,
            jwt.getClaimAsString(FHIR_USER),
            jwt.getClaimAsString(ORGANIZATION),
            jwt.getClaimAsString(PATIENT),
            scopes,
            purposes == null ? List.of() : purposes);
    return new IdentityAuthentication(identity, jwt);
  }
}
