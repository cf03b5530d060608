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
 * <p>Scopes with the {@code patient/} context are not honoured yet: they need the patient's
 * compartment enforced, which the App Launch work adds. Until then they grant nothing.
 */
@Interceptor
final class ScopeEnforcer {

  /** The contexts whose scopes this enforcer honours. */
  private static final Set<Context> HONOURED = EnumSet.of(Context.SYSTEM, Context.USER);

  /** Operations the scopes say nothing about, allowed to any valid token. */
  private static final Set<RestOperationTypeEnum> ALWAYS =
      EnumSet.of(RestOperationTypeEnum.METADATA, RestOperationTypeEnum.TRANSACTION);

  /** Extended operations and the permission each needs on the type it runs on. */
  private static final java.util.Map<String, Permission> OPERATIONS =
      java.util.Map.of("$ledger-proof", Permission.READ, "$everything", Permission.READ);

  private final FhirContext fhirContext;

  ScopeEnforcer(FhirContext fhirContext) {
    this.fhirContext = fhirContext;
  }

  @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -100)
  public void incoming(RequestDetails request, RestOperationTypeEnum operation) {
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isEmpty() || ALWAYS.contains(operation)) {
      return; // no identity: a public endpoint (Spring Security let it through without a token)
    }
    SmartScopes scopes = identity.get().scopes();
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
    SmartScopes scopes = identity.get().scopes();
    for (int i = 0; i < details.size(); i++) {
      IBaseResource resource = details.getResource(i);
      if (resource != null) {
        String type = fhirContext.getResourceType(resource);
        if (!scopes.permits(HONOURED, type, Permission.READ)
            && !scopes.permits(HONOURED, type, Permission.SEARCH)) {
          details.setResource(i, null);
        }
      }
    }
  }

  private void checkWrite(IBaseResource resource, Permission permission) {
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isPresent()) {
      require(identity.get().scopes(), fhirContext.getResourceType(resource), permission, null);
    }
  }

  private static void require(
      SmartScopes scopes, String type, Permission permission, RestOperationTypeEnum operation) {
    if (type == null || !scopes.permits(HONOURED, type, permission)) {
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
