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
 *     tokens' issuer, and with {@code /fhir} their audience (default {@code
 *     http://localhost:${server.port}}); never taken from a request
 * @param signingKeyFile the authorization server's RSA signing key (PKCS#8, base64), created on
 *     first start when absent, with a warning
 * @param accessTokenTtl how long an access token is valid
 * @param maxAssertionLifetime the longest a client's signed assertion may be valid for (SMART
 *     Backend Services: at most five minutes)
 * @param clientSkew how far clients' clocks may be off when their assertions are checked
 * @param clients SMART Backend Services clients, each with its public keys and allowed scopes
 * @param external the issuer whose tokens are accepted with {@code mode=external}
 * @param users people who log in to the embedded server (SMART App Launch)
 * @param apps SMART apps that patients and practitioners authorize (App Launch, PKCE)
 * @param refreshTokenTtl how long a refresh token ({@code offline_access}) is valid
 * @param launchTtl how long a SMART launch context (EHR launch, patient picker) can be used
 * @param demo whether to register the demo users, client and app (docs: README, "Try it")
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
    @Valid @DefaultValue List<Client> clients,
    @Valid @DefaultValue External external,
    @Valid @DefaultValue List<User> users,
    @Valid @DefaultValue List<App> apps,
    @NotNull @DefaultValue("30d") Duration refreshTokenTtl,
    @NotNull @DefaultValue("5m") Duration launchTtl,
    @NotNull @DefaultValue("auto") Demo demo) {

  /** When the embedded server registers its demo users, client and app ({@link DemoSetup}). */
  public enum Demo {
    /** With the embedded H2 database (the try-it-out default), not with PostgreSQL. */
    AUTO,
    ON,
    OFF
  }

  /** These settings with more users, clients and apps registered (the demo's). */
  AuthProperties withRegistrations(
      List<User> moreUsers, List<Client> moreClients, List<App> moreApps) {
    return new AuthProperties(
        mode,
        issuer,
        signingKeyFile,
        accessTokenTtl,
        maxAssertionLifetime,
        clientSkew,
        concat(clients, moreClients),
        external,
        concat(users, moreUsers),
        concat(apps, moreApps),
        refreshTokenTtl,
        launchTtl,
        demo);
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
  }

  /**
   * A person who logs in to the embedded authorization server.
   *
   * @param username the login name
   * @param passwordHash the password hashed, with its algorithm in front: {@code {argon2}...} or
   *     {@code {bcrypt}...} (Spring Security's format); never the password itself
   * @param fhirUser the person's FHIR resource: {@code Patient/123}, {@code Practitioner/9} or
   *     {@code RelatedPerson/5}
   * @param organization the organization they act for ({@code Organization/7}), or null
   */
  public record User(
      @NotBlank String username,
      @NotBlank String passwordHash,
      @NotBlank String fhirUser,
      String organization) {}

  /**
   * A SMART app (App Launch 2: authorization code with PKCE S256).
   *
   * @param clientId the app's client id
   * @param redirectUris where the app receives its code, exactly
   * @param scopes what it may ask for: {@code patient/} and {@code user/} scopes, {@code openid},
   *     {@code fhirUser}, {@code launch/patient}, {@code offline_access}
   * @param jwks the app's public keys (JWK Set JSON) when it is a confidential app that
   *     authenticates with private_key_jwt, or null for a public app (PKCE only). Only confidential
   *     apps get refresh tokens
   * @param jwksUrl the same by URL
   */
  public record App(
      @NotBlank String clientId,
      @NotEmpty List<String> redirectUris,
      @NotEmpty List<String> scopes,
      String jwks,
      String jwksUrl) {}

  /** How requests are authorized. */
  public enum Mode {
    EMBEDDED,
    EXTERNAL,
    OFF
  }

  /**
   * Another authorization server whose access tokens (signed JWTs) the FHIR endpoint accepts.
   *
   * @param issuerUri the tokens' {@code iss}, exactly
   * @param jwkSetUri where the issuer publishes its signing keys
   * @param audience the {@code aud} tokens must carry for this server, e.g. its FHIR base URL
   * @param authorizationEndpoint published in SMART discovery, if apps should use it
   * @param tokenEndpoint published in SMART discovery and the CapabilityStatement
   * @param claims which claims carry the identity
   */
  public record External(
      String issuerUri,
      String jwkSetUri,
      String audience,
      String authorizationEndpoint,
      String tokenEndpoint,
      @Valid @DefaultValue Claims claims) {}

  /**
   * Claim names of an access token, by what they mean. The defaults are the embedded server's (and
   * SMART's); Entra ID, for example, puts scopes in {@code scp}.
   *
   * @param scope the scopes, space-separated or a list
   * @param clientId the client; when absent, {@code azp} (Keycloak, Entra ID) is used
   */
  public record Claims(
      @NotBlank @DefaultValue("scope") String scope,
      @NotBlank @DefaultValue("client_id") String clientId,
      @NotBlank @DefaultValue("fhirUser") String fhirUser,
      @NotBlank @DefaultValue("organization") String organization,
      @NotBlank @DefaultValue("patient") String patient,
      @NotBlank @DefaultValue("purpose_of_use") String purposeOfUse) {

    /** The claim names of Chartproof's own tokens. */
    static Claims embedded() {
      return new Claims(
          "scope", "client_id", "fhirUser", "organization", "patient", "purpose_of_use");
    }
  }

  /**
   * A system client (SMART Backend Services) that authenticates with a JWT signed by its private
   * key (private_key_jwt, RS384 or ES384).
   *
   * @param clientId the id the client puts in its assertions' {@code iss} and {@code sub}
   * @param jwks its public keys as a JWK Set (JSON), or null when {@code jwksUrl} is given
   * @param jwksUrl where its JWK Set is published (https), or null when {@code jwks} is given
   * @param scopes the {@code system/} scopes it may request, e.g. {@code system/Observation.cruds}
   * @param ehrLaunch whether it is an EHR that may create launch contexts ({@code POST
   *     /auth/launch}) for SMART apps it launches
   * @param organization the organization the system belongs to ({@code Organization/7}), put in its
   *     tokens' {@code organization} claim: patients' Consents name organizations, not clients;
   *     null if none
   * @param admin whether the client is an administrator ({@link Administrators}): with a token
   *     granting {@code system/*.cruds} (or v1 {@code system/*.*}) it may rotate and retire keys
   *     ({@code /admin/keys}) and erase patients
   */
  public record Client(
      @NotBlank String clientId,
      String jwks,
      String jwksUrl,
      @NotEmpty List<String> scopes,
      @DefaultValue("false") boolean ehrLaunch,
      String organization,
      @DefaultValue("false") boolean admin) {}
}
