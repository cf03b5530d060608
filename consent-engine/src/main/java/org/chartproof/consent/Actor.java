package org.chartproof.consent;

import java.util.Set;

/**
 * One Consent.provision.actor: a reference and the role it plays.
 *
 * <p>R4 defines the role as "how the individual is involved in the resources content". Roles AUT
 * (author), CST (custodian) and INF (informant) of v3-ParticipationType name where the data comes
 * from: such an actor is an <i>origin</i> and matches the resource's authors. Every other role
 * names the recipient: the actor matches the requester when its reference is one the requester is
 * (user, organization, CareTeam/Group membership) and, for a role outside v3-ParticipationType
 * (e.g. a PractitionerRole code), the requester holds that role too. A v3-ParticipationType role
 * such as PRCP (primary information recipient) is satisfied by the requester being the recipient.
 *
 * @param reference the actor, {@code Type/id}
 * @param role the role
 */
record Actor(String reference, Code role) {

  private static final Set<String> ORIGIN_ROLES = Set.of("AUT", "CST", "INF");

  boolean isOrigin() {
    return Code.PARTICIPATION_TYPE.equals(role.system()) && ORIGIN_ROLES.contains(role.code());
  }

  boolean matchesRequester(Requester requester) {
    boolean isRequester =
        reference.equals(requester.fhirUser())
            || reference.equals(requester.organization())
            || requester.memberOf().contains(reference);
    return isRequester
        && (Code.PARTICIPATION_TYPE.equals(role.system()) || requester.roles().contains(role));
  }
}
