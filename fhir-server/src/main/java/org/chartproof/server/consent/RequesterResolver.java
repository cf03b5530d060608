package org.chartproof.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.chartproof.consent.Code;
import org.chartproof.consent.Requester;
import org.chartproof.server.auth.AccessIdentity;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who the requester is, as Consents name actors: the token's user and organization, plus what the
 * server's records make of them: the PractitionerRoles of a practitioner (their references and
 * their codes, as roles), the active CareTeams that have the user, one of their roles or the
 * organization as a participant, and the Groups that have the user as an active member. Kept per
 * identity until a CareTeam, Group or PractitionerRole write commits on any instance ({@link
 * ConsentChangeTracker} stamps {@link #MEMBERSHIPS}).
 */
final class RequesterResolver {

  /**
   * The key writes of memberships stamp in {@link ConsentEpochs}: not a FHIR id, so never a
   * patient's.
   */
  static final String MEMBERSHIPS = "~memberships";

  /** Resource types whose writes change what {@link #resolve} returns. */
  static final Set<String> MEMBERSHIP_TYPES = Set.of("CareTeam", "Group", "PractitionerRole");

  static final int MAX_MEMBERSHIPS = 1000;

  private final DaoRegistry daos;
  private final EpochCache<Requester> cache;
  private final TransactionTemplate committedOnly;

  RequesterResolver(
      DaoRegistry daos, ConsentEpochs epochs, PlatformTransactionManager transactions, int size) {
    this.daos = daos;
    this.cache = new EpochCache<>(epochs, size);
    this.committedOnly = new TransactionTemplate(transactions);
    committedOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    committedOnly.setReadOnly(true);
  }

  /**
   * The requester of {@code identity} as of {@code epoch}.
   *
   * @throws IllegalArgumentException if the token's fhirUser or organization is not a reference
   */
  Requester resolve(AccessIdentity identity, long epoch) {
    String key = identity.fhirUser() + "|" + identity.organization() + "|" + identity.clientId();
    return cache.get(
        key, MEMBERSHIPS, epoch, () -> committedOnly.execute(status -> load(identity)));
  }

  private Requester load(AccessIdentity identity) {
    Set<Code> roles = new HashSet<>();
    Set<String> memberOf = new HashSet<>();
    List<String> participants = new ArrayList<>();
    String user = identity.fhirUser();
    if (user != null) {
      participants.add(user);
    }
    if (identity.organization() != null) {
      participants.add(identity.organization());
    }
    if (user != null && user.startsWith("Practitioner/")) {
      for (IBaseResource found :
          search(
              PractitionerRole.class,
              PractitionerRole.SP_PRACTITIONER,
              new ReferenceParam(user),
              PractitionerRole.SP_ACTIVE,
              new TokenParam("true"))) {
        PractitionerRole role = (PractitionerRole) found;
        String reference = "PractitionerRole/" + role.getIdElement().getIdPart();
        memberOf.add(reference);
        participants.add(reference);
        for (CodeableConcept code : role.getCode()) {
          for (Coding coding : code.getCoding()) {
            roles.add(new Code(coding.getSystem(), coding.getCode()));
          }
        }
      }
    }
    for (String participant : participants) {
      for (IBaseResource found :
          search(
              CareTeam.class,
              CareTeam.SP_PARTICIPANT,
              new ReferenceParam(participant),
              CareTeam.SP_STATUS,
              new TokenParam("active"))) {
        memberOf.add("CareTeam/" + found.getIdElement().getIdPart());
      }
    }
    if (user != null) {
      for (IBaseResource found :
          search(Group.class, Group.SP_MEMBER, new ReferenceParam(user), null, null)) {
        Group group = (Group) found;
        boolean active =
            group.getMember().stream()
                .anyMatch(
                    m ->
                        user.equals(m.getEntity().getReferenceElement().toUnqualified().getValue())
                            && !m.getInactive());
        if ((!group.hasActive() || group.getActive()) && active) {
          memberOf.add("Group/" + group.getIdElement().getIdPart());
        }
      }
    }
    return new Requester(user, identity.organization(), identity.clientId(), roles, memberOf);
  }

  private List<IBaseResource> search(
      Class<? extends IBaseResource> type,
      String param,
      ReferenceParam reference,
      String filter,
      TokenParam value) {
    IFhirResourceDao<? extends IBaseResource> dao = daos.getResourceDao(type);
    SearchParameterMap search = SearchParameterMap.newSynchronous();
    search.add(param, reference);
    if (filter != null) {
      search.add(filter, value);
    }
    search.setLoadSynchronousUpTo(MAX_MEMBERSHIPS);
    return dao.search(search, new SystemRequestDetails()).getAllResources();
  }
}
