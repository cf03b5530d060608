package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.AuthProperties;
import org.chartproof.server.auth.SmartScopes;
import org.junit.jupiter.api.Test;

/** Who may administer keys, for each authorization mode and kind of token. */
class KeyAdministratorsTest {

  private static AuthProperties auth(AuthProperties.Mode mode) {
    List<AuthProperties.Client> clients =
        List.of(
            new AuthProperties.Client(
                "key-admin", "{}", null, List.of("system/*.cruds"), false, null, true),
            new AuthProperties.Client(
                "lab", "{}", null, List.of("system/*.cruds"), false, null, false));
    return new AuthProperties(
        mode,
        null,
        Path.of("unused"),
        Duration.ofMinutes(10),
        Duration.ofMinutes(5),
        Duration.ofSeconds(60),
        clients,
        null,
        List.of(),
        List.of(),
        Duration.ofDays(30),
        Duration.ofMinutes(5),
        AuthProperties.Demo.OFF);
  }

  private static KeySourceProperties keys(boolean openWithoutAuth) {
    return new KeySourceProperties(
        KeySourceProperties.KeySource.PKCS12,
        new KeySourceProperties.Keystore(null, null),
        new KeySourceProperties.Pkcs11(null, null, null, null),
        new KeySourceProperties.Rotation(200, openWithoutAuth));
  }

  private static Optional<AccessIdentity> token(String client, String fhirUser, String scopes) {
    return Optional.of(
        new AccessIdentity(
            client, client, fhirUser, null, null, SmartScopes.parse(scopes), List.of()));
  }

  @Test
  void embedded_onlyAnAdminClientsFullSystemTokenActingForNoUser() {
    Predicate<Optional<AccessIdentity>> admin =
        KeyRotationConfig.administrator(auth(AuthProperties.Mode.EMBEDDED), keys(true));
    assertThat(admin.test(token("key-admin", null, "system/*.cruds"))).isTrue();
    assertThat(admin.test(token("key-admin", null, "system/*.*"))).isTrue(); // SMART v1
    assertThat(admin.test(token("key-admin", null, "system/*.rs"))).isFalse();
    assertThat(admin.test(token("key-admin", null, "system/Observation.cruds"))).isFalse();
    assertThat(admin.test(token("key-admin", "Practitioner/1", "system/*.cruds"))).isFalse();
    assertThat(admin.test(token("lab", null, "system/*.cruds"))).isFalse();
    assertThat(admin.test(token("stranger", null, "system/*.cruds"))).isFalse();
    assertThat(admin.test(Optional.empty())).as("open-without-auth needs auth off").isFalse();
  }

  @Test
  void authOff_closedUnlessOpenedExplicitly() {
    assertThat(
            KeyRotationConfig.administrator(auth(AuthProperties.Mode.OFF), keys(false))
                .test(Optional.empty()))
        .isFalse();
    assertThat(
            KeyRotationConfig.administrator(auth(AuthProperties.Mode.OFF), keys(true))
                .test(Optional.empty()))
        .isTrue();
  }
}
