package org.chartproof.consent;

import java.util.Objects;
import java.util.Set;

/**
 * One access to one resource of one patient: built once by the server adapter, immutable, checked
 * here so that the rules never see a malformed request.
 *
 * @param requester who asks
 * @param patient whose data it is, {@code Patient/id}
 * @param action a code of {@link Code#CONSENT_ACTION}: access (read), collect, use, disclose or
 *     correct; {@code null} means access
 * @param purposes purpose of use codes of {@link Code#ACT_REASON} (TREAT, ETREAT, HPAYMT, ...); the
 *     adapter supplies the deployment's default purpose when the token has none
 * @param resource the resource being accessed
 * @param breakGlassJustification the free-text reason for an emergency access, or {@code null}
 */
public record AccessRequest(
    Requester requester,
    String patient,
    String action,
    Set<String> purposes,
    ResourceFacts resource,
    String breakGlassJustification) {

  /** The actions Consent.provision.action can name. */
  static final Set<String> ACTIONS = Set.of("collect", "access", "use", "disclose", "correct");

  /** Validates, normalises the patient reference and copies the purposes. */
  public AccessRequest {
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(resource, "resource");
    patient = References.require(patient, "patient");
    if (!patient.startsWith("Patient/")) {
      throw new IllegalArgumentException("patient must be a Patient reference");
    }
    action = action == null ? "access" : action;
    if (!ACTIONS.contains(action)) {
      throw new IllegalArgumentException("unknown consent action: " + action);
    }
    purposes = Set.copyOf(purposes);
    if (breakGlassJustification != null && breakGlassJustification.isBlank()) {
      breakGlassJustification = null;
    }
  }
}
