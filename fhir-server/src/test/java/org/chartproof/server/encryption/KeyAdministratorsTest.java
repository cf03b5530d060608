package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.chartproof.server.auth.AccessIdentity;
import org.chartproof.server.auth.AuthProperties;
import org.chartproof.server.auth.AuthTestKit;
import org.chartproof.server.auth.SmartScopes;
import org.junit.jupiter.api.Test;

/** Who may administer keys, for each authorization mode and kind of token. */
class KeyAdministratorsTest {

  private static AuthProperties auth(AuthProperties.Mode mode) {
    return AuthTestKit.twoClients(mode, "key-admin", "lab");
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

  /** The rule itself is AdministratorsTest's; here: the key API uses it. */
  @Test
  void embedded_theAdministratorsRule() {
    Predicate<Optional<AccessIdentity>> admin =
        KeyRotationConfig.administrator(auth(AuthProperties.Mode.EMBEDDED), keys(true));
    assertThat(admin.test(token("key-admin", null, "system/*.cruds"))).isTrue();
    assertThat(admin.test(token("key-admin", "Practitioner/1", "system/*.cruds"))).isFalse();
    assertThat(admin.test(token("lab", null, "system/*.cruds"))).isFalse();
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
