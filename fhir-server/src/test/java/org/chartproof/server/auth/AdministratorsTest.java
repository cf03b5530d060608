package org.chartproof.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdministratorsTest {

  private static AccessIdentity token(
      String subject, String client, String fhirUser, String patient, String scopes) {
    return new AccessIdentity(
        subject, client, fhirUser, null, patient, SmartScopes.parse(scopes), List.of());
  }

  @Test
  void isAdministrator_onlyAnAdminClientsFullSystemToken_actingForNobody() {
    Administrators admins =
        new Administrators(AuthTestKit.twoClients(AuthProperties.Mode.EMBEDDED, "ops", "lab"));

    assertThat(admins.isAdministrator(token("ops", "ops", null, null, "system/*.cruds"))).isTrue();
    assertThat(admins.isAdministrator(token("ops", "ops", null, null, "system/*.*")))
        .as("SMART v1")
        .isTrue();
    assertThat(admins.isAdministrator(token("ops", "ops", null, null, "system/*.rs"))).isFalse();
    assertThat(admins.isAdministrator(token("ops", "ops", null, null, "system/Observation.cruds")))
        .isFalse();
    assertThat(admins.isAdministrator(token("lab", "lab", null, null, "system/*.cruds"))).isFalse();
    assertThat(admins.isAdministrator(token("x", "x", null, null, "system/*.cruds"))).isFalse();
    assertThat(
            admins.isAdministrator(token("alice", "ops", "Practitioner/1", null, "system/*.cruds")))
        .isFalse();
    assertThat(admins.isAdministrator(token("ops", "ops", null, "7", "system/*.cruds"))).isFalse();
    assertThat(admins.isAdministrator(token("alice", "ops", null, null, "system/*.cruds")))
        .isFalse();
  }

  @Test
  void isAdministrator_neverWithAnotherIssuer() {
    Administrators admins =
        new Administrators(AuthTestKit.twoClients(AuthProperties.Mode.EXTERNAL, "ops", "lab"));

    assertThat(admins.isAdministrator(token("ops", "ops", null, null, "system/*.cruds"))).isFalse();
  }
}
