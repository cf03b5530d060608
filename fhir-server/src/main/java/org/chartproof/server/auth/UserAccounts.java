package org.chartproof.server.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The people who log in to the embedded authorization server ({@code chartproof.auth.users}), each
 * mapped to the FHIR resource that is their identity ({@code fhirUser}). Passwords are kept only as
 * hashes (Argon2 or bcrypt, in Spring Security's {@code {id}hash} form).
 */
final class UserAccounts implements UserDetailsService {

  private static final List<String> FHIR_USER_TYPES =
      List.of("Patient", "Practitioner", "RelatedPerson", "Person");

  private final Map<String, AuthProperties.User> byName = new LinkedHashMap<>();

  UserAccounts(List<AuthProperties.User> users) {
    for (AuthProperties.User user : users) {
      String name = "chartproof.auth.users (user '" + user.username() + "'): ";
      if (!user.passwordHash().startsWith("{")) {
        throw new IllegalStateException(
            name + "password-hash must be a hash with its algorithm, e.g. {argon2}$argon2id$...");
      }
      String[] fhirUser = user.fhirUser().split("/");
      if (fhirUser.length != 2 || !FHIR_USER_TYPES.contains(fhirUser[0])) {
        throw new IllegalStateException(
            name + "fhir-user must be Patient/id, Practitioner/id, RelatedPerson/id or Person/id");
      }
      if (byName.put(user.username(), user) != null) {
        throw new IllegalStateException(name + "registered twice");
      }
    }
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    AuthProperties.User user = byName.get(username);
    if (user == null) {
      throw new UsernameNotFoundException("no such user");
    }
    return User.withUsername(user.username()).password(user.passwordHash()).roles("USER").build();
  }

  /**
   * Whether {@code authentication} is a user who logged in (not nobody, not Spring's anonymous
   * placeholder before login).
   */
  static boolean loggedIn(Authentication authentication) {
    return authentication != null
        && authentication.isAuthenticated()
        && !(authentication instanceof AnonymousAuthenticationToken);
  }

  /** The account of a user who logged in, if it still exists. */
  Optional<AuthProperties.User> find(String username) {
    return Optional.ofNullable(byName.get(username));
  }

  /** The patient a user is, or null for a practitioner or related person. */
  static String patientOf(AuthProperties.User user) {
    return AccessIdentity.patientOf(user.fhirUser());
  }
}
