package org.chartproof.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * SMART launch contexts (App Launch 2: EHR launch and the patient picker): the patient an app is
 * launched for, behind an opaque id that the app passes as the {@code launch} parameter of its
 * authorize request. Kept in the database, so that any server instance can resolve one. A context
 * selects a patient; it grants nothing: the token's scopes and, for patient users, their own record
 * still decide.
 */
final class LaunchContexts {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final Duration ttl;

  LaunchContexts(JdbcTemplate jdbc, Clock clock, Duration ttl) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * A new launch context for {@code patient} (a FHIR id), usable for {@link #ttl} and, when {@code
   * boundUser} is not null, only by that user.
   *
   * @return the launch id (128 random bits, base64url)
   */
  String create(String patient, String boundUser) {
    long now = clock.millis();
    jdbc.update("DELETE FROM cp_auth_launch WHERE expires_at < ?", now);
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    jdbc.update(
        "INSERT INTO cp_auth_launch (id, patient, bound_user, expires_at) VALUES (?, ?, ?, ?)",
        id,
        patient,
        boundUser,
        now + ttl.toMillis());
    return id;
  }

  /**
   * The patient of launch context {@code id}, if it exists, has not expired and may be used by
   * {@code username}.
   */
  Optional<String> patientFor(String id, String username) {
    if (id == null || id.length() > 64) {
      return Optional.empty();
    }
    List<String> patients =
        jdbc.query(
            "SELECT patient FROM cp_auth_launch WHERE id = ? AND expires_at >= ?"
                + " AND (bound_user IS NULL OR bound_user = ?)",
            (row, n) -> row.getString(1),
            id,
            clock.millis(),
            username);
    return patients.stream().findFirst();
  }

  /** How long a launch context can be used. */
  Duration ttl() {
    return ttl;
  }
}
