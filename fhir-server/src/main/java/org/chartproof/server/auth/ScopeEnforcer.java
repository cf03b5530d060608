package org.chartproof.server.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.chartproof.server.auth.SmartScope.Context;
import org.chartproof.server.auth.SmartScope.Permission;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Enforces SMART scopes on every FHIR interaction, deny by default: each operation needs the
 * permission letter its scopes must grant on its resource type; writes are checked again per
 * resource as they are stored (so every entry of a transaction bundle is checked); and resources of
 * a type the token may not read are removed from every response (_include, _revinclude,
 * $everything, history, bundles).
 *
 * <p>{@code patient/} scopes count only for a token with a patient in context; which resources they
 * reach, the patient's compartment, is then enforced by {@link PatientCompartmentRules} and {@link
 * PatientSearchNarrowing}. For such tokens this enforcer also refuses what would reach beyond it:
 * system-wide search and history, and type history (it lists deleted resources of every patient).
 */
@Interceptor
final class ScopeEnforcer {

  private static final Set<Context> WITHOUT_PATIENT = EnumSet.of(Context.SYSTEM, Context.USER);
  private static final Set<Context> WITH_PATIENT = EnumSet.allOf(Context.class);

  /** Interactions that reach beyond one patient's compartment. */
  private static final Set<RestOperationTypeEnum> BEYOND_A_PATIENT =
      EnumSet.of(
          RestOperationTypeEnum.SEARCH_SYSTEM,
          RestOperationTypeEnum.HISTORY_SYSTEM,
          RestOperationTypeEnum.HISTORY_TYPE,
          RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);

  /**
   * Runs before HAPI's search narrowing (same pointcut, lower order), which would answer a
   * system-wide search with a 500.
   */
  static final int ORDER = -200;

  /** Operations the scopes say nothing about, allowed to any valid token. */
  private static final Set<RestOperationTypeEnum> ALWAYS =
      EnumSet.of(RestOperationTypeEnum.METADATA, RestOperationTypeEnum.TRANSACTION);

  /**
   * Extended operations and the permission each needs on the type it runs on. {@code $erase} also
   * needs an administrator's token, which the operation checks itself ({@link Administrators}).
   */
  private static final java.util.Map<String, Permission> OPERATIONS =
      java.util.Map.of(
          "$ledger-proof",
          Permission.READ,
          "$everything",
          Permission.READ,
          "$erase",
          Permission.DELETE);

  private final FhirContext fhirContext;

  ScopeEnforcer(FhirContext fhirContext) {
    this.fhirContext = fhirContext;
  }

  @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = ORDER)
  public void incoming(RequestDetails request) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isEmpty() || ALWAYS.contains(operation)) {
      return; // no identity: a public endpoint (Spring Security let it through without a token)
    }
    if (identity.get().patient() != null && BEYOND_A_PATIENT.contains(operation)) {
      throw new ForbiddenOperationException(
          "The interaction "
              + operation.getCode()
              + " reaches beyond the patient in context and is not available to this token");
    }
    Scopes scopes = new Scopes(identity.get());
    String type = request.getResourceName();
    switch (operation) {
      case READ, VREAD, HISTORY_INSTANCE -> require(scopes, type, Permission.READ, operation);
      case SEARCH_TYPE, HISTORY_TYPE -> require(scopes, type, Permission.SEARCH, operation);
      case SEARCH_SYSTEM, HISTORY_SYSTEM -> require(scopes, "*", Permission.SEARCH, operation);
      case GET_PAGE -> {
        // the page's resources are filtered on the way out like the search's first page
      }
      case CREATE -> require(scopes, type, Permission.CREATE, operation);
      case UPDATE, PATCH -> require(scopes, type, Permission.UPDATE, operation);
      case DELETE -> require(scopes, type, Permission.DELETE, operation);
      case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE -> {
        Permission needed = OPERATIONS.get(request.getOperation());
        if (needed == null) {
          throw new ForbiddenOperationException(
              "The operation " + request.getOperation() + " is not available to SMART tokens");
        }
        require(scopes, type, needed, operation);
      }
      default ->
          throw new ForbiddenOperationException(
              "The interaction " + operation.getCode() + " is not available to SMART tokens");
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void creating(IBaseResource resource, RequestDetails request) {
    checkWrite(resource, Permission.CREATE);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updating(IBaseResource oldResource, IBaseResource newResource) {
    checkWrite(newResource, Permission.UPDATE);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  public void deleting(IBaseResource resource) {
    checkWrite(resource, Permission.DELETE);
  }

  /** Removes from a response every resource whose type the token may not read. */
  @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
  public void showing(IPreResourceShowDetails details) {
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isEmpty()) {
      return;
    }
    Scopes scopes = new Scopes(identity.get());
    for (int i = 0; i < details.size(); i++) {
      IBaseResource resource = details.getResource(i);
      if (resource != null) {
        String type = fhirContext.getResourceType(resource);
        if (!scopes.permits(type, Permission.READ) && !scopes.permits(type, Permission.SEARCH)) {
          details.setResource(i, null);
        }
      }
    }
  }

  private void checkWrite(IBaseResource resource, Permission permission) {
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isPresent()) {
      require(new Scopes(identity.get()), fhirContext.getResourceType(resource), permission, null);
    }
  }

  /** A token's scopes, in the contexts it may use: patient/ ones only with a patient. */
  private record Scopes(SmartScopes granted, Set<Context> contexts) {
    Scopes(AccessIdentity identity) {
      this(identity.scopes(), identity.patient() == null ? WITHOUT_PATIENT : WITH_PATIENT);
    }

    boolean permits(String type, Permission permission) {
      return granted.permits(contexts, type, permission);
    }
  }

  private static void require(
      Scopes scopes, String type, Permission permission, RestOperationTypeEnum operation) {
    if (type == null || !scopes.permits(type, permission)) {
      throw new ForbiddenOperationException(
          "The access token's scopes do not allow '"
              + permission.letter()
              + "' ("
              + permission.name().toLowerCase(java.util.Locale.ROOT)
              + ") on "
              + (type == null || type.equals("*") ? "all resource types" : type)
              + (operation == null ? "" : " for " + operation.getCode()));
    }
  }
}
