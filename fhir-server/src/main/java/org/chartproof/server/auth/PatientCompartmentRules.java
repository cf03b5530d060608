package org.chartproof.server.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.chartproof.server.auth.SmartScope.Context;
import org.chartproof.server.auth.SmartScope.Permission;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;

/**
 * A token with a patient in context reaches that patient's compartment only (HAPI's {@link
 * AuthorizationInterceptor}, deny by default): reads, searches and writes of compartment types
 * inside it, reads of a fixed list of shared types that records point to ({@link SharedTypes}:
 * Practitioner, Organization, Medication...), {@code $everything} on the patient itself, and
 * transactions entry by entry. Every resource a response carries is checked on the way out, so
 * {@code _include}, {@code _revinclude}, {@code $everything} and history cannot reach another
 * patient: such a request is refused (403) as a whole.
 *
 * <p>Tokens without a patient are left to {@link ScopeEnforcer} (types and permission letters).
 */
final class PatientCompartmentRules extends AuthorizationInterceptor {

  private static final Set<Context> PATIENT = Set.of(Context.PATIENT);

  private final FhirContext fhirContext;

  /** Resource types in the Patient compartment (Patient itself included). */
  private final Set<String> compartmentTypes = new TreeSet<>();

  PatientCompartmentRules(FhirContext fhirContext) {
    super(PolicyEnum.DENY);
    this.fhirContext = fhirContext;
    for (String type : fhirContext.getResourceTypes()) {
      RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
      if (type.equals("Patient")
          || !definition.getSearchParamsForCompartmentName("Patient").isEmpty()) {
        compartmentTypes.add(type);
      }
    }
  }

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isEmpty() || identity.get().patient() == null) {
      return new RuleBuilder().allowAll("no patient in context: ScopeEnforcer decides").build();
    }
    SmartScopes scopes = identity.get().scopes();
    IIdType me = new IdType("Patient", identity.get().patient());
    IAuthRuleBuilder rules = new RuleBuilder();
    rules.allow("capabilities").metadata().andThen();
    for (String type : compartmentTypes) {
      if (permits(scopes, type, Permission.READ) || permits(scopes, type, Permission.SEARCH)) {
        rules
            .allow("read " + type)
            .read()
            .resourcesOfType(type)
            .inCompartment("Patient", me)
            .andThen();
      }
      if (permits(scopes, type, Permission.CREATE)) {
        rules
            .allow("create " + type)
            .create()
            .resourcesOfType(type)
            .inCompartment("Patient", me)
            .andThen();
      }
      if (permits(scopes, type, Permission.UPDATE)) {
        rules
            .allow("update " + type)
            .write()
            .resourcesOfType(type)
            .inCompartment("Patient", me)
            .andThen();
      }
      if (permits(scopes, type, Permission.DELETE)) {
        rules
            .allow("delete " + type)
            .delete()
            .resourcesOfType(type)
            .inCompartment("Patient", me)
            .andThen();
      }
    }
    if (compartmentTypes.stream().anyMatch(type -> permits(scopes, type, Permission.UPDATE))) {
      // a PATCH request is let in here; the patched resource is checked against the update rules
      // above when it is stored
      rules.allow("patch").patch().allRequests().andThen();
    }
    for (String type : SharedTypes.NAMES) {
      if (permits(scopes, type, Permission.READ) || permits(scopes, type, Permission.SEARCH)) {
        rules.allow("read shared " + type).read().resourcesOfType(type).withAnyId().andThen();
      }
    }
    if (permits(scopes, "Patient", Permission.READ)) {
      rules
          .allow("everything about the patient")
          .operation()
          .named("$everything")
          .onInstance(me)
          .andRequireExplicitResponseAuthorization()
          .andThen();
    }
    // a proof carries the version's salt: its operation reads the version with this token, and
    // the read rules above decide what it may see
    rules
        .allow("ledger proofs of what the patient may read")
        .operation()
        .named("$ledger-proof")
        .onAnyInstance()
        .andRequireExplicitResponseAuthorization()
        .andThen();
    rules
        .allow("bundles, entry by entry")
        .transaction()
        .withAnyOperation()
        .andApplyNormalRules()
        .andThen();
    return rules.denyAll("outside the patient's compartment or the token's scopes").build();
  }

  private static boolean permits(SmartScopes scopes, String type, Permission permission) {
    return scopes.permits(PATIENT, type, permission);
  }
}
