package org.chartproof.server.auth;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may administer the server (rotate and retire encryption keys, {@code Patient/[id]/$erase}): a
 * SMART Backend Services client configured with {@code admin: true} in {@code
 * chartproof.auth.clients}, acting as itself (no user, no patient), whose token grants {@code
 * system/*.cruds} (v1: {@code system/*.*}). Both are needed: the operator names the client, and the
 * client asked for full system access for this token. Only clients of the embedded issuer qualify:
 * tokens from an external issuer are never administrators, and with {@code
 * chartproof.auth.mode=off} nobody is (docs/adr/0010-key-encryption-keys.md).
 */
public final class Administrators {

  private static final SmartScope ALL = SmartScope.parse("system/*.cruds");

  private final Set<String> clientIds;

  Administrators(AuthProperties properties) {
    this.clientIds =
        properties.mode() != AuthProperties.Mode.EMBEDDED
            ? Set.of()
            : properties.clients().stream()
                .filter(AuthProperties.Client::admin)
                .map(AuthProperties.Client::clientId)
                .collect(Collectors.toUnmodifiableSet());
  }

  /** The administrators configured in {@code chartproof.auth.clients}. */
  public static Administrators of(AuthProperties properties) {
    return new Administrators(properties);
  }

  /** The current request's identity if it is an administrator's. */
  public Optional<AccessIdentity> current() {
    return AccessIdentity.current().filter(this::isAdministrator);
  }

  /** True if {@code identity} is an administrator's, by the rule above. */
  public boolean isAdministrator(AccessIdentity identity) {
    return identity.fhirUser() == null
        && identity.patient() == null
        && clientIds.contains(identity.clientId())
        && identity.subject().equals(identity.clientId())
        && identity.scopes().covers(ALL);
  }
}
