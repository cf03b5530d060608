package org.chartproof.server.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What SMART discovery ({@code /fhir/.well-known/smart-configuration}) and the CapabilityStatement
 * tell clients about where to get tokens: the embedded server's own endpoints, or an external
 * issuer's as configured.
 *
 * @param issuer the issuer, per request for the embedded server without a configured issuer
 * @param jwksUri the issuer's keys, or null for the embedded server's ({@code /oauth2/jwks})
 * @param authorizationEndpoint where apps authorize, or null when there is none
 * @param tokenEndpoint where clients get tokens, or null for the embedded server's
 */
record SmartDiscovery(
    Supplier<String> issuer, String jwksUri, String authorizationEndpoint, String tokenEndpoint) {

  String tokenUrl() {
    return tokenEndpoint != null ? tokenEndpoint : issuer.get() + "/oauth2/token";
  }

  /** The SMART configuration document. */
  Map<String, Object> configuration() {
    String iss = issuer.get();
    boolean embedded = tokenEndpoint == null;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("issuer", iss);
    body.put("jwks_uri", jwksUri != null ? jwksUri : iss + "/oauth2/jwks");
    if (authorizationEndpoint != null) {
      body.put("authorization_endpoint", authorizationEndpoint);
    }
    body.put("token_endpoint", tokenUrl());
    if (embedded) {
      body.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
      body.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
      body.put("grant_types_supported", List.of("client_credentials"));
      body.put("scopes_supported", List.of("system/*.cruds", "system/*.rs", "system/*.read"));
      body.put(
          "capabilities",
          List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
    } else {
      body.put(
          "capabilities", List.of("permission-v1", "permission-v2", "context-standalone-patient"));
    }
    return body;
  }
}
