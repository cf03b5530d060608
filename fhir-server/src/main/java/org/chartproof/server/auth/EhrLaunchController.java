package org.chartproof.server.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * SMART EHR launch: an EHR (a Backend Services client registered with {@code ehr-launch: true})
 * creates a launch context for the patient open in its user's chart, then opens the app with {@code
 * launch=<id>} and {@code iss=<FHIR base>}. The app passes the id on in its authorize request
 * (scope {@code launch}); the token names the patient.
 */
@RestController
final class EhrLaunchController {

  static final String PATH = "/auth/launch";

  private final LaunchContexts launches;
  private final Patients patients;
  private final UserAccounts users;
  private final Set<String> ehrClients;

  EhrLaunchController(
      LaunchContexts launches, Patients patients, UserAccounts users, AuthProperties properties) {
    this.launches = launches;
    this.patients = patients;
    this.users = users;
    this.ehrClients =
        properties.clients().stream()
            .filter(AuthProperties.Client::ehrLaunch)
            .map(AuthProperties.Client::clientId)
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Creates a launch context.
   *
   * @param patient the patient's FHIR id (or {@code Patient/id})
   * @param user when given, the only user (login name) who may use the launch
   * @return {@code {"launch": id, "patient": id, "expires_in": seconds}}, or 403 for a client that
   *     is not an EHR, 400 for an unknown patient or user
   */
  @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(
      @RequestParam String patient, @RequestParam(required = false) String user) {
    AccessIdentity caller = AccessIdentity.current().orElse(null);
    if (caller == null || caller.fhirUser() != null || !ehrClients.contains(caller.clientId())) {
      return error(HttpStatus.FORBIDDEN, "only a client registered with ehr-launch may do this");
    }
    String id = AccessIdentity.patientId(patient);
    if (patients.find(id).isEmpty()) {
      return error(HttpStatus.BAD_REQUEST, "no such patient");
    }
    if (user != null && users.find(user).isEmpty()) {
      return error(HttpStatus.BAD_REQUEST, "no such user");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("launch", launches.create(id, user));
    body.put("patient", id);
    body.put("expires_in", launches.ttl().toSeconds());
    return ResponseEntity.status(HttpStatus.CREATED).body(body);
  }

  private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String description) {
    return ResponseEntity.status(status)
        .body(
            Map.of(
                "error",
                status == HttpStatus.FORBIDDEN ? "forbidden" : "invalid_request",
                "error_description",
                description));
  }
}
