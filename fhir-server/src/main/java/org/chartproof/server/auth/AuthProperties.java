package org.chartproof.server.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Authorization ({@code chartproof.auth.*}): SMART on FHIR with the embedded authorization server.
 *
 * @param mode {@code embedded} (default): every FHIR request needs a bearer token from the embedded
 *     authorization server; {@code off}: no authorization at all, only to measure its cost or to
 *     run tests of other features (a warning says so at startup)
 * @param issuer the public base URL of this server (e.g. {@code https://fhir.example.org}): the
 *     tokens' issuer, and with {@code /fhir} their audience. Empty: taken from each request, which
 *     is right only when clients reach the server under one name
 * @param signingKeyFile the authorization server's RSA signing key (PKCS#8, base64), created on
 *     first start when absent, with a warning
 * @param accessTokenTtl how long an access token is valid
 * @param maxAssertionLifetime the longest a client's signed assertion may be valid for (SMART
 *     Backend Services: at most five minutes)
 * @param clientSkew how far clients' clocks may be off when their assertions are checked
 * @param clients SMART Backend Services clients, each with its public keys and allowed scopes
 */
@Validated
@ConfigurationProperties("chartproof.auth")
public record AuthProperties(
    @NotNull @DefaultValue("embedded") Mode mode,
    String issuer,
    @NotNull Path signingKeyFile,
    @NotNull @DefaultValue("10m") Duration accessTokenTtl,
    @NotNull @DefaultValue("5m") Duration maxAssertionLifetime,
    @NotNull @DefaultValue("60s") Duration clientSkew,
    @Valid @DefaultValue List<Client> clients) {

  /** How requests are authorized. */
  public enum Mode {
    EMBEDDED,
    OFF
  }

  /**
   * A system client (SMART Backend Services) that authenticates with a JWT signed by its private
   * key (private_key_jwt, RS384 or ES384).
   *
   * @param clientId the id the client puts in its assertions' {@code iss} and {@code sub}
   * @param jwks its public keys as a JWK Set (JSON), or null when {@code jwksUrl} is given
   * @param jwksUrl where its JWK Set is published (https), or null when {@code jwks} is given
   * @param scopes the {@code system/} scopes it may request, e.g. {@code system/Observation.cruds}
   */
  public record Client(
      @NotBlank String clientId, String jwks, String jwksUrl, @NotEmpty List<String> scopes) {}
}
