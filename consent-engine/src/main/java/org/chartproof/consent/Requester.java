package org.chartproof.consent;

import java.util.HashSet;
import java.util.Set;

/**
 * Who asks: the FHIR references the requester is, as the server resolved them from the token.
 *
 * @param fhirUser the user, e.g. {@code Practitioner/12}, {@code PractitionerRole/4}, {@code
 *     Patient/123} or {@code RelatedPerson/5}; {@code null} for a system client
 * @param organization the requester's organization, e.g. {@code Organization/7}, or {@code null}
 * @param clientId the OAuth client id, or {@code null} (recorded, not matched: Consent actors are
 *     FHIR references)
 * @param roles the requester's roles (e.g. PractitionerRole.code codings); an actor whose role is
 *     not a v3 ParticipationType code matches only a requester holding that role
 * @param memberOf CareTeam, Group (and other) references the server resolved the requester to be a
 *     member of
 */
public record Requester(
    String fhirUser, String organization, String clientId, Set<Code> roles, Set<String> memberOf) {

  /** Normalises the references and copies the sets; throws on a malformed reference. */
  public Requester {
    fhirUser = fhirUser == null ? null : References.require(fhirUser, "fhirUser");
    organization = organization == null ? null : References.require(organization, "organization");
    roles = Set.copyOf(roles);
    Set<String> groups = new HashSet<>();
    for (String ref : memberOf) {
      groups.add(References.require(ref, "memberOf"));
    }
    memberOf = Set.copyOf(groups);
  }

  /** Every reference this requester is: fhirUser, organization and memberOf. */
  Set<String> references() {
    Set<String> all = new HashSet<>(memberOf);
    if (fhirUser != null) {
      all.add(fhirUser);
    }
    if (organization != null) {
      all.add(organization);
    }
    return Set.copyOf(all);
  }
}
