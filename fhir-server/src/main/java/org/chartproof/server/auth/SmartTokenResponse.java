package org.chartproof.server.auth;

import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;

/**
 * Adds SMART launch context to the token response: {@code patient}, the patient in context, as the
 * access token just issued says ({@link SmartTokenCustomizer} put it there).
 */
final class SmartTokenResponse {

  private SmartTokenResponse() {}

  static OAuth2AccessTokenResponseAuthenticationSuccessHandler handler() {
    OAuth2AccessTokenResponseAuthenticationSuccessHandler handler =
        new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    handler.setAccessTokenResponseCustomizer(
        context -> {
          OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
          Object patient =
              claim(issued.getAccessToken().getTokenValue(), SmartTokenCustomizer.PATIENT);
          if (patient != null) {
            // the parameters are replaced, not merged: keep id_token and the others
            Map<String, Object> parameters = new LinkedHashMap<>(issued.getAdditionalParameters());
            parameters.put(SmartTokenCustomizer.PATIENT, patient);
            context.getAccessTokenResponse().additionalParameters(parameters);
          }
        });
    return handler;
  }

  /** A claim of a token this server has just signed: read, not verified. */
  private static Object claim(String jwt, String name) {
    try {
      return JWTParser.parse(jwt).getJWTClaimsSet().getClaim(name);
    } catch (ParseException e) {
      return null;
    }
  }
}
