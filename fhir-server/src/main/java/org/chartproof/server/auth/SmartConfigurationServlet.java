package org.chartproof.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: SMART App Launch discovery, public. Mapped as
 * an exact servlet path, which the Servlet specification ranks above the FHIR servlet's {@code
 * /fhir/*}.
 */
final class SmartConfigurationServlet extends HttpServlet {

  static final String PATH = AuthConfig.FHIR_PATH + "/.well-known/smart-configuration";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ServerBase base;

  SmartConfigurationServlet(ServerBase base) {
    this.base = base;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String issuer = base.current();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("issuer", issuer);
    body.put("jwks_uri", issuer + "/oauth2/jwks");
    body.put("token_endpoint", issuer + "/oauth2/token");
    body.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
    body.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    body.put("grant_types_supported", List.of("client_credentials"));
    body.put("scopes_supported", List.of("system/*.cruds", "system/*.rs", "system/*.read"));
    body.put(
        "capabilities",
        List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    JSON.writeValue(response.getOutputStream(), body);
  }
}
