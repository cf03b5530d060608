package org.chartproof.server.auth;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * This server's public base URL, {@code chartproof.auth.issuer}: the issuer of its tokens, with
 * {@code /fhir} their audience, and with {@code /oauth2/token} the audience client assertions must
 * name. Fixed at startup and never taken from a request: a Host header chosen by the caller would
 * let an assertion a client made for another server (with the same keys) be accepted here.
 */
final class ServerBase {

  private final String url;

  /**
   * @throws IllegalStateException if {@code issuer} is not an absolute http(s) URL with a real port
   */
  ServerBase(String issuer) {
    String problem = problem(issuer);
    if (problem != null) {
      throw new IllegalStateException(
          "chartproof.auth.issuer "
              + problem
              + ": set it to this server's public base URL, e.g."
              + " https://fhir.example.org (the default is http://localhost:${server.port})");
    }
    this.url = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
  }

  private static String problem(String issuer) {
    if (issuer == null || issuer.isBlank()) {
      return "is not set";
    }
    try {
      URI uri = new URI(issuer);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        return "'" + issuer + "' is not an absolute http(s) URL";
      }
      if (uri.getPort() == 0) {
        return "'" + issuer + "' has port 0 (server.port=0 picks a port only at startup)";
      }
      if (uri.getQuery() != null || uri.getFragment() != null) {
        return "'" + issuer + "' may not have a query or fragment";
      }
      return null;
    } catch (URISyntaxException e) {
      return "'" + issuer + "' is not a URL";
    }
  }

  /** The base URL, without a trailing slash. */
  String current() {
    return url;
  }

  /** The FHIR endpoint's URL: the tokens' audience. */
  String fhirBase() {
    return url + AuthConfig.FHIR_PATH;
  }
}
