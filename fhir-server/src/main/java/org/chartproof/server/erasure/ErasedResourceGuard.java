package org.chartproof.server.erasure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.chartproof.server.erasure.ErasureRecords.ErasedResource;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Answers 410 Gone with an OperationOutcome saying "erased on request" for every resource an
 * erasure deleted: reads (HAPI's own 410 for a deleted resource, reworded), reads of any version
 * and instance history (checked before HAPI serves old versions), and refuses updates that would
 * bring an erased resource back, whichever way they arrive (REST, bundles, internal writes). Reads
 * of other resources cost nothing; the other checks cost one primary-key lookup.
 */
@Interceptor
final class ErasedResourceGuard {

  /** Interactions that would serve an erased resource's old versions. */
  private static final Set<RestOperationTypeEnum> CHECKED_BEFORE =
      EnumSet.of(RestOperationTypeEnum.VREAD, RestOperationTypeEnum.HISTORY_INSTANCE);

  private final ErasureRecords records;
  private final FhirContext fhirContext;

  ErasedResourceGuard(ErasureRecords records, FhirContext fhirContext) {
    this.records = records;
    this.fhirContext = fhirContext;
  }

  /** vread and instance history of an erased resource: 410 before HAPI reads a version. */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void incoming(RequestDetails request, RestOperationTypeEnum operation) {
    if (CHECKED_BEFORE.contains(operation)) {
      erasedTarget(request).ifPresent(this::throwGone);
    }
  }

  /** A read of a deleted resource: HAPI's 410, reworded if an erasure deleted it. */
  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException outgoing(RequestDetails request, Throwable exception) {
    if (exception instanceof ResourceGoneException
        && request.getRestOperationType() == RestOperationTypeEnum.READ) {
      return erasedTarget(request).map(this::gone).orElse(null);
    }
    return null;
  }

  /**
   * Refuses an update of an erased resource (HAPI would store it as a new version, bringing the id
   * back): registered on HAPI's JPA interceptor service, so bundles and internal writes are seen.
   */
  @Interceptor
  static final class Writes {
    private final ErasedResourceGuard guard;

    Writes(ErasedResourceGuard guard) {
      this.guard = guard;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource oldResource, IBaseResource newResource) {
      IIdType id = newResource.getIdElement();
      guard
          .records
          .erased(guard.fhirContext.getResourceType(newResource), id.getIdPart())
          .ifPresent(guard::throwGone);
    }
  }

  private Optional<ErasedResource> erasedTarget(RequestDetails request) {
    IIdType id = request.getId();
    if (id == null || !id.hasIdPart() || request.getResourceName() == null) {
      return Optional.empty();
    }
    return records.erased(request.getResourceName(), id.getIdPart());
  }

  private void throwGone(ErasedResource erased) {
    throw gone(erased);
  }

  private ResourceGoneException gone(ErasedResource erased) {
    String message =
        erased.type()
            + "/"
            + erased.id()
            + " was erased on request at "
            + Instant.ofEpochMilli(erased.erasedAtMillis())
            + ": none of its versions can be read again";
    IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhirContext);
    OperationOutcomeUtil.addIssue(fhirContext, outcome, "error", message, null, "deleted");
    return new ResourceGoneException(message, outcome);
  }
}
