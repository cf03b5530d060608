package org.chartproof.server.auth;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a private_key_jwt client authentication (RFC 7523) from a token request. Unlike Spring
 * Authorization Server's own converter it does not require {@code client_id}: SMART Backend
 * Services clients send only the assertion, whose {@code iss} names the client. When {@code
 * client_id} is sent it must be that client.
 */
final class ClientAssertionConverter implements AuthenticationConverter {

  static final ClientAuthenticationMethod JWT_BEARER =
      new ClientAuthenticationMethod("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

  private static final Set<String> OWN_PARAMETERS =
      Set.of(
          OAuth2ParameterNames.CLIENT_ID,
          OAuth2ParameterNames.CLIENT_ASSERTION_TYPE,
          OAuth2ParameterNames.CLIENT_ASSERTION);

  @Override
  public Authentication convert(HttpServletRequest request) {
    String[] types = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
    String[] assertions = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
    if (types == null || assertions == null) {
      return null; // another kind of client authentication
    }
    if (types.length != 1 || assertions.length != 1 || !JWT_BEARER.getValue().equals(types[0])) {
      throw invalid(OAuth2ErrorCodes.INVALID_REQUEST, "one client_assertion of type jwt-bearer");
    }
    String issuer;
    try {
      issuer = JWTParser.parse(assertions[0]).getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw invalid(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion is not a JWT");
    }
    if (issuer == null || issuer.isBlank()) {
      throw invalid(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion has no iss");
    }
    String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
    if (clientIds != null && (clientIds.length != 1 || !clientIds[0].equals(issuer))) {
      throw invalid(OAuth2ErrorCodes.INVALID_CLIENT, "client_id differs from the assertion's iss");
    }
    Map<String, Object> additional = new LinkedHashMap<>();
    request
        .getParameterMap()
        .forEach(
            (name, values) -> {
              if (!OWN_PARAMETERS.contains(name)) {
                additional.put(name, values.length == 1 ? values[0] : values);
              }
            });
    return new OAuth2ClientAuthenticationToken(issuer, JWT_BEARER, assertions[0], additional);
  }

  private static OAuth2AuthenticationException invalid(String code, String description) {
    return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
  }
}
