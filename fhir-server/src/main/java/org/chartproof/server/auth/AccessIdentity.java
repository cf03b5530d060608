package org.chartproof.server.auth;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is making the current request, as its access token says: the one type the ledger (actor) and
 * the consent engine (the requester) learn identities from.
 *
 * @param subject the token's {@code sub}: a user's name, or the client id for a system client
 * @param clientId the client (application or system) the token was issued to
 * @param fhirUser the user's FHIR resource ({@code Practitioner/123}), or null for a system client
 * @param organization the user's or client's organization ({@code Organization/7}), or null
 * @param patient the patient in context ({@code 123}) for patient-facing tokens, or null
 * @param scopes the scopes the token grants
 * @param purposeOfUse purposes of use the token declares (codes), possibly none
 */
public record AccessIdentity(
    String subject,
    String clientId,
    String fhirUser,
    String organization,
    String patient,
    SmartScopes scopes,
    List<String> purposeOfUse) {

  public AccessIdentity {
    purposeOfUse = List.copyOf(purposeOfUse);
  }

  private static final Pattern PATIENT_USER = Pattern.compile("(?:^|/)Patient/([^/]+)$");
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  /**
   * The patient id of {@code 123} or {@code Patient/123}, or null when it is not a FHIR id (or is
   * null).
   */
  public static String patientId(String idOrReference) {
    if (idOrReference == null) {
      return null;
    }
    String id =
        idOrReference.startsWith("Patient/")
            ? idOrReference.substring("Patient/".length())
            : idOrReference;
    return FHIR_ID.matcher(id).matches() ? id : null;
  }

  /**
   * The patient a user is, from their {@code fhirUser} ({@code Patient/123}, possibly as an
   * absolute URL), or null for a practitioner, a related person or no user.
   */
  public static String patientOf(String fhirUser) {
    if (fhirUser == null) {
      return null;
    }
    Matcher patient = PATIENT_USER.matcher(fhirUser);
    return patient.find() ? patient.group(1) : null;
  }

  /** The identity of the request on this thread, if it carried a valid token. */
  public static Optional<AccessIdentity> current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication instanceof IdentityAuthentication identified
        ? Optional.of(identified.identity())
        : Optional.empty();
  }

  /**
   * The actor the ledger records (as a keyed pseudonym): the user and the client they act through,
   * or the client alone for a system.
   */
  public String actor() {
    return fhirUser == null ? "client " + clientId : fhirUser + " via client " + clientId;
  }
}
