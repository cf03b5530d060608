package org.chartproof.server.auth;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * This server's public base URL: {@code chartproof.auth.issuer} when set, else the base of the
 * request being served. Tokens name it as their issuer and, with {@code /fhir}, their audience.
 */
final class ServerBase {

  private final String configured;

  ServerBase(String configured) {
    this.configured = configured == null || configured.isBlank() ? null : strip(configured);
  }

  /** The configured issuer, or null when it is taken from each request. */
  String configured() {
    return configured;
  }

  /** The base URL for the request on this thread (no trailing slash). */
  String current() {
    return configured != null
        ? configured
        : strip(ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString());
  }

  /** The FHIR endpoint's URL: the tokens' audience. */
  String fhirBase() {
    return current() + AuthConfig.FHIR_PATH;
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
