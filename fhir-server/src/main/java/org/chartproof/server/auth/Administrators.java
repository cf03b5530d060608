package org.chartproof.server.auth;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may administer the server (rotate and retire encryption keys, erase patients): a SMART
 * Backend Services client configured with {@code admin: true} in {@code chartproof.auth.clients},
 * acting as itself (no user), whose token grants {@code system/*.cruds} (v1: {@code system/*.*}).
 * Both are needed: the operator names the client, and the client asked for full system access for
 * this token. Nobody is an administrator without a token, so with {@code chartproof.auth.mode=off}
 * there is none (docs/adr/0010-key-encryption-keys.md).
 */
public final class Administrators {
  private static final SmartScope ALL = SmartScope.parse("system/*.cruds");

  private final Set<String> clientIds;

  private Administrators(Set<String> clientIds) {
    this.clientIds = Set.copyOf(clientIds);
  }

  /** The administrators configured in {@code chartproof.auth.clients}. */
  public static Administrators of(AuthProperties properties) {
    return new Administrators(
        properties.clients().stream()
            .filter(AuthProperties.Client::admin)
            .map(AuthProperties.Client::clientId)
            .collect(Collectors.toSet()));
  }

  /** True if {@code identity} is an administrator's, by the rule above. */
  public boolean isAdministrator(AccessIdentity identity) {
    return identity.fhirUser() == null
        && clientIds.contains(identity.clientId())
        && identity.scopes().covers(ALL);
  }
}
