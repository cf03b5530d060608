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
 * @param issuer the issuer
 * @param jwksUri the issuer's keys, or null for the embedded server's ({@code /oauth2/jwks})
 * @param authorizationEndpoint where apps authorize, or null when there is none
 * @param tokenEndpoint where clients get tokens, or null for the embedded server's
 */
record SmartDiscovery(
    Supplier<String> issuer, String jwksUri, String authorizationEndpoint, String tokenEndpoint) {

  /** Where apps send users to authorize: the embedded server's own, or the configured one. */
  String authorizeUrl() {
    return tokenEndpoint == null ? issuer.get() + "/oauth2/authorize" : authorizationEndpoint;
  }

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
    if (!embedded && authorizationEndpoint != null) {
      body.put("authorization_endpoint", authorizationEndpoint);
    }
    body.put("token_endpoint", tokenUrl());
    if (embedded) {
      body.put("authorization_endpoint", iss + "/oauth2/authorize");
      body.put(
          "grant_types_supported",
          List.of("authorization_code", "client_credentials", "refresh_token"));
      body.put("response_types_supported", List.of("code"));
      body.put("code_challenge_methods_supported", List.of("S256"));
      body.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "none"));
      body.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
      body.put(
          "scopes_supported",
          List.of(
              "openid",
              "fhirUser",
              "launch",
              "launch/patient",
              "offline_access",
              "patient/*.rs",
              "user/*.rs",
              "user/*.cruds",
              "system/*.rs",
              "system/*.cruds"));
      body.put(
          "capabilities",
          List.of(
              "launch-standalone",
              "launch-ehr",
              "client-public",
              "client-confidential-asymmetric",
              "context-standalone-patient",
              "context-ehr-patient",
              "sso-openid-connect",
              "permission-patient",
              "permission-user",
              "permission-offline",
              "permission-v1",
              "permission-v2"));
    } else {
      body.put(
          "capabilities", List.of("permission-v1", "permission-v2", "context-standalone-patient"));
    }
    return body;
  }
}
