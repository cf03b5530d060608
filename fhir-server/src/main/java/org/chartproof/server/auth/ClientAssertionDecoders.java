package org.chartproof.server.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * Checks SMART Backend Services client assertions (private_key_jwt): signed with RS384 or ES384 by
 * a key of the client's JWK Set (inline or by URL), {@code iss} and {@code sub} the client, {@code
 * aud} this server's token endpoint, {@code exp} at most the configured lifetime ahead, and a
 * {@code jti} never seen before. Spring Authorization Server turns any failure into {@code
 * invalid_client} (401).
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

  /** The longest {@code jti} kept (the replay table's column). */
  static final int MAX_JTI_LENGTH = 200;

  private final AssertionReplayStore replays;
  private final Duration maxLifetime;
  private final Duration skew;
  private final Clock clock;
  private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

  ClientAssertionDecoders(
      AssertionReplayStore replays, Duration maxLifetime, Duration skew, Clock clock) {
    this.replays = replays;
    this.maxLifetime = maxLifetime;
    this.skew = skew;
    this.clock = clock;
  }

  @Override
  public JwtDecoder createDecoder(RegisteredClient client) {
    String inline = client.getClientSettings().getSetting(ClientRegistry.INLINE_JWKS);
    String url = client.getClientSettings().getJwkSetUrl();
    // keyed by the keys too, so that a client whose keys change gets a new decoder
    String key = client.getClientId() + "\n" + inline + "\n" + url;
    NimbusJwtDecoder checked =
        (NimbusJwtDecoder) decoders.computeIfAbsent(key, k -> build(client, inline, url));
    return token -> {
      Jwt jwt = checked.decode(token);
      // only once every other check passed: a forged assertion must not burn a real jti
      replays.record(client.getClientId(), jwt.getId(), jwt.getExpiresAt());
      return jwt;
    };
  }

  private NimbusJwtDecoder build(RegisteredClient client, String inline, String url) {
    JWKSource<SecurityContext> keys;
    try {
      keys =
          inline != null
              ? new ImmutableJWKSet<>(JWKSet.parse(inline))
              : JWKSourceBuilder.create(URI.create(url).toURL()).build();
    } catch (ParseException | MalformedURLException e) {
      throw new IllegalStateException("client " + client.getClientId() + ": unusable JWK Set");
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
    processor.setJWTClaimsSetVerifier((claims, context) -> {}); // checked below, with reasons
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(validator(client.getClientId()));
    return decoder;
  }

  private OAuth2TokenValidator<Jwt> validator(String clientId) {
    return jwt -> {
      Instant now = clock.instant();
      String problem = null;
      if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
        problem = "iss and sub must both be the client id";
      } else if (jwt.getAudience() == null || !jwt.getAudience().contains(tokenEndpoint())) {
        problem = "aud must be the token endpoint " + tokenEndpoint();
      } else if (jwt.getExpiresAt() == null || jwt.getExpiresAt().plus(skew).isBefore(now)) {
        problem = "the assertion has expired";
      } else if (jwt.getExpiresAt().isAfter(now.plus(maxLifetime).plus(skew))) {
        problem = "exp is more than " + maxLifetime.toMinutes() + " minutes ahead";
      } else if (jwt.getNotBefore() != null && jwt.getNotBefore().minus(skew).isAfter(now)) {
        problem = "the assertion is not valid yet";
      } else if (jwt.getId() == null || jwt.getId().isBlank()) {
        problem = "jti is missing";
      } else if (jwt.getId().length() > MAX_JTI_LENGTH) {
        problem = "jti is longer than " + MAX_JTI_LENGTH + " characters";
      }
      return problem == null
          ? OAuth2TokenValidatorResult.success()
          : OAuth2TokenValidatorResult.failure(
              new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, problem, null));
    };
  }

  private static String tokenEndpoint() {
    AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
    return context.getIssuer() + context.getAuthorizationServerSettings().getTokenEndpoint();
  }
}
