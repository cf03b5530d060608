package org.chartproof.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdministratorsTest {

  private static final SmartScopes SYSTEM = SmartScopes.parse("system/*.cruds");

  private static AuthProperties properties(AuthProperties.Mode mode) {
    List<AuthProperties.Client> clients =
        List.of(
            new AuthProperties.Client(
                "ops", "{}", null, List.of("system/*.cruds"), false, null, true),
            new AuthProperties.Client(
                "lab", "{}", null, List.of("system/*.cruds"), false, null, false));
    return new AuthProperties(
        mode,
        "http://localhost:8080",
        Path.of("key"),
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

  private static AccessIdentity token(
      String subject, String client, String fhirUser, String patient) {
    return new AccessIdentity(subject, client, fhirUser, null, patient, SYSTEM, List.of());
  }

  @Test
  void isAdministrator_onlyAnAdminClientActingForNobody() {
    Administrators admins = new Administrators(properties(AuthProperties.Mode.EMBEDDED));

    assertThat(admins.isAdministrator(token("ops", "ops", null, null))).isTrue();
    assertThat(admins.isAdministrator(token("lab", "lab", null, null))).isFalse();
    assertThat(admins.isAdministrator(token("alice", "ops", "Practitioner/1", null))).isFalse();
    assertThat(admins.isAdministrator(token("ops", "ops", null, "7"))).isFalse();
    assertThat(admins.isAdministrator(token("alice", "ops", null, null))).isFalse();
  }

  @Test
  void isAdministrator_neverWithAnotherIssuer() {
    Administrators admins = new Administrators(properties(AuthProperties.Mode.EXTERNAL));

    assertThat(admins.isAdministrator(token("ops", "ops", null, null))).isFalse();
  }
}
