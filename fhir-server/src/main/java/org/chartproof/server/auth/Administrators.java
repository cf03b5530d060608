package org.chartproof.server.auth;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may run administrative operations (key rotation, {@code Patient/[id]/$erase}): a Backend
 * Services client configured with {@code admin: true} in {@code chartproof.auth.clients}, acting
 * for no user. Tokens from an external issuer, users' tokens and requests without a token are never
 * administrators, and with {@code chartproof.auth.mode=off} nobody is.
 */
public final class Administrators {

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

  /** The current request's identity if it is an administrator's. */
  public Optional<AccessIdentity> current() {
    return AccessIdentity.current().filter(this::isAdministrator);
  }

  boolean isAdministrator(AccessIdentity identity) {
    return identity.fhirUser() == null
        && identity.patient() == null
        && clientIds.contains(identity.clientId())
        && identity.subject().equals(identity.clientId());
  }
}
