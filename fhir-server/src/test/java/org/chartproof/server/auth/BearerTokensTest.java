package org.chartproof.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

class BearerTokensTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  private final AtomicInteger decoded = new AtomicInteger();

  /** Accepts "good-*" tokens, valid for a minute from NOW; refuses everything else. */
  private final JwtDecoder decoder =
      token -> {
        decoded.incrementAndGet();
        if (!token.startsWith("good")) {
          throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token)
            .header("alg", "RS256")
            .subject("lab")
            .claim("client_id", "lab")
            .claim("scope", "system/Patient.rs")
            .expiresAt(NOW.plusSeconds(60))
            .build();
      };

  private BearerTokens tokens(Instant now) {
    return new BearerTokens(
        decoder,
        new AccessTokens(AuthProperties.Claims.embedded()),
        Clock.fixed(now, ZoneOffset.UTC),
        100);
  }

  @Test
  void authenticate_badToken_isInvalidTokenAndNotRemembered() {
    BearerTokens tokens = tokens(NOW);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> tokens.authenticate(new BearerTokenAuthenticationToken("forged")))
          .isInstanceOf(InvalidBearerTokenException.class);
    }
    assertThat(decoded).hasValue(2);
  }

  @Test
  void authenticate_sameToken_isCheckedOnceUntilItExpires() {
    BearerTokens tokens = tokens(NOW);
    IdentityAuthentication first =
        (IdentityAuthentication) tokens.authenticate(new BearerTokenAuthenticationToken("good-1"));
    assertThat(first.identity().clientId()).isEqualTo("lab");
    assertThat(tokens.authenticate(new BearerTokenAuthenticationToken("good-1"))).isSameAs(first);
    assertThat(decoded).hasValue(1);
    tokens.authenticate(new BearerTokenAuthenticationToken("good-2"));
    assertThat(decoded).hasValue(2);
  }

  @Test
  void authenticate_expiredRememberedToken_isCheckedAgain() {
    AtomicReference<Instant> now = new AtomicReference<>(NOW);
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now.get();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    BearerTokens tokens =
        new BearerTokens(decoder, new AccessTokens(AuthProperties.Claims.embedded()), clock, 100);
    tokens.authenticate(new BearerTokenAuthenticationToken("good-1"));
    tokens.authenticate(new BearerTokenAuthenticationToken("good-1"));
    assertThat(decoded).hasValue(1);
    now.set(NOW.plusSeconds(61)); // past the token's exp: the decoder decides again
    tokens.authenticate(new BearerTokenAuthenticationToken("good-1"));
    assertThat(decoded).hasValue(2);
  }

  @Test
  void resolve_readsOnlyWellFormedBearerHeaders() {
    BearerTokens tokens = tokens(NOW);
    assertThat(tokens.resolve(request(null))).isNull();
    assertThat(tokens.resolve(request("Basic dXNlcjpwdw=="))).isNull();
    assertThat(tokens.resolve(request("Bearer eyJ.a-b_c~d+e/f=="))).isEqualTo("eyJ.a-b_c~d+e/f==");
    assertThat(tokens.resolve(request("bearer abc"))).isEqualTo("abc");
    for (String malformed :
        new String[] {"Bearer ", "Bearer a b", "Bearer a\"b", "Bearer ==", "Bearer a=b"}) {
      assertThatThrownBy(() -> tokens.resolve(request(malformed)))
          .as(malformed)
          .isInstanceOf(InvalidBearerTokenException.class);
    }
  }

  private static MockHttpServletRequest request(String authorization) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/Patient");
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    return request;
  }
}
