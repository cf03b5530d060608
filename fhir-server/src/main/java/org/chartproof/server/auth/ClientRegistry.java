package org.chartproof.server.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.chartproof.server.auth.SmartScope.Context;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The registered clients, from configuration ({@code chartproof.auth.clients}), checked at startup
 * so that a mistake stops the server with a message naming the client.
 */
final class ClientRegistry implements RegisteredClientRepository {

  /** Client setting holding an inline JWK Set (JSON); Spring's own setting holds a URL. */
  static final String INLINE_JWKS = "settings.client.chartproof.jwks";

  /** Client setting holding a Backend Services client's organization ({@code Organization/7}). */
  static final String ORGANIZATION = "settings.client.chartproof.organization";

  private final Map<String, RegisteredClient> byClientId = new LinkedHashMap<>();

  ClientRegistry(AuthProperties properties) {
    for (AuthProperties.Client client : properties.clients()) {
      add(backendServicesClient(client, properties.accessTokenTtl()));
    }
    for (AuthProperties.App app : properties.apps()) {
      add(app(app, properties.accessTokenTtl(), properties.refreshTokenTtl()));
    }
  }

  private void add(RegisteredClient registered) {
    if (byClientId.put(registered.getClientId(), registered) != null) {
      throw new IllegalStateException(
          "chartproof.auth: client id '" + registered.getClientId() + "' is registered twice");
    }
  }

  /**
   * A SMART app: authorization code with PKCE (S256) always; a public app authenticates with
   * nothing else, a confidential one also with private_key_jwt and may then get refresh tokens.
   */
  private static RegisteredClient app(
      AuthProperties.App app, Duration accessTokenTtl, Duration refreshTokenTtl) {
    String name = "chartproof.auth.apps (app '" + app.clientId() + "'): ";
    boolean confidential = app.jwks() != null || app.jwksUrl() != null;
    ClientSettings.Builder settings =
        ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false);
    if (confidential) {
      keys(settings, name, app.jwks(), app.jwksUrl());
    }
    checkScopes(
        name,
        app.scopes(),
        scope -> scope.context() == Context.SYSTEM ? "apps act for users, not systems: " : null);
    RegisteredClient.Builder client =
        RegisteredClient.withId(app.clientId())
            .clientId(app.clientId())
            .clientAuthenticationMethod(
                confidential
                    ? ClientAuthenticationMethod.PRIVATE_KEY_JWT
                    : ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUris(uris -> uris.addAll(app.redirectUris()))
            .scopes(s -> s.addAll(app.scopes()))
            .clientSettings(settings.build())
            .tokenSettings(
                TokenSettings.builder()
                    .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                    .accessTokenTimeToLive(accessTokenTtl)
                    .refreshTokenTimeToLive(refreshTokenTtl)
                    .reuseRefreshTokens(false)
                    .build());
    if (confidential) {
      client.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
    }
    return client.build();
  }

  /**
   * Checks a client's scopes at startup.
   *
   * @param refusal why a scope is not allowed for this kind of client (the scope follows), or null
   */
  private static void checkScopes(
      String name, List<String> texts, Function<SmartScope, String> refusal) {
    SmartScopes scopes;
    try {
      scopes = SmartScopes.parse(texts);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(name + e.getMessage());
    }
    for (SmartScope scope : scopes.scopes()) {
      String problem = refusal.apply(scope);
      if (problem != null) {
        throw new IllegalStateException(name + problem + scope.text());
      }
    }
  }

  /** The client's public keys: inline or by URL, exactly one of them. */
  private static void keys(ClientSettings.Builder settings, String name, String jwks, String url) {
    if ((jwks == null) == (url == null)) {
      throw new IllegalStateException(name + "give either jwks or jwks-url");
    }
    settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384);
    if (jwks != null) {
      try {
        if (JWKSet.parse(jwks).getKeys().isEmpty()) {
          throw new IllegalStateException(name + "jwks holds no key");
        }
      } catch (ParseException e) {
        throw new IllegalStateException(name + "jwks is not a JWK Set: " + e.getMessage());
      }
      settings.setting(INLINE_JWKS, jwks);
    } else {
      URI uri = URI.create(url);
      if (!"https".equals(uri.getScheme()) && !"127.0.0.1".equals(uri.getHost())) {
        // the server fetches this URL: only https, or a local test server
        throw new IllegalStateException(name + "jwks-url must be https");
      }
      settings.jwkSetUrl(url);
    }
  }

  private static RegisteredClient backendServicesClient(
      AuthProperties.Client client, Duration accessTokenTtl) {
    String name = "chartproof.auth.clients (client '" + client.clientId() + "'): ";
    ClientSettings.Builder settings = ClientSettings.builder();
    // Spring reads the algorithm to tell private_key_jwt from client_secret_jwt; our decoder
    // (ClientAssertionDecoders) accepts RS384 and ES384 whatever it says
    keys(settings, name, client.jwks(), client.jwksUrl());
    if (client.organization() != null) {
      if (!client.organization().matches("Organization/[A-Za-z0-9\\-.]{1,64}")) {
        throw new IllegalStateException(name + "organization must be Organization/<id>");
      }
      settings.setting(ORGANIZATION, client.organization());
    }
    checkScopes(
        name,
        client.scopes(),
        scope ->
            scope.context() != Context.SYSTEM
                ? "a Backend Services client gets system/ scopes only, not "
                : null);
    return RegisteredClient.withId(client.clientId())
        .clientId(client.clientId())
        .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(s -> s.addAll(client.scopes()))
        .clientSettings(settings.build())
        .tokenSettings(
            TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(accessTokenTtl)
                .build())
        .build();
  }

  @Override
  public void save(RegisteredClient registeredClient) {
    throw new UnsupportedOperationException("clients are registered in chartproof.auth.clients");
  }

  @Override
  public RegisteredClient findById(String id) {
    return byClientId.values().stream().filter(c -> c.getId().equals(id)).findFirst().orElse(null);
  }

  @Override
  public RegisteredClient findByClientId(String clientId) {
    return byClientId.get(clientId);
  }
}
