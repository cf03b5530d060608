package org.chartproof.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Requester;
import org.chartproof.server.auth.AccessIdentity;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Patients' Consents enforced on every resource a response carries, through HAPI's {@code
 * ConsentInterceptor} (docs/adr/0007-consent-enforcement.md). Every method of {@link
 * IConsentService} is overridden: its defaults let everything through.
 *
 * <ul>
 *   <li>{@link #startOperation}: binds the token's identity to the request (search threads cannot
 *       see Spring Security's) and refuses interactions whose results would be filtered after
 *       paging (type and system history) or that are not known to be safe.
 *   <li>{@link #canSeeResource} (before paging): a denied resource is dropped from the search
 *       results before pages and counts are made, and a denied read answers 404 like a resource
 *       that does not exist.
 *   <li>{@link #willSeeResource} (after paging, and for every resource inside a response): decides
 *       again what canSeeResource did not see (pages fetched later, transaction responses,
 *       $everything, contained resources' containers), and shows a permitted resource whose
 *       decision names labels to redact as a copy without the labelled content ({@link Redactor}).
 *       The resource a read answers, decided and shown as stored, is answered AUTHORIZED, so that
 *       HAPI does not walk its elements for nested resources (its contained resources are decided
 *       with it). Everything else is answered PROCEED and HAPI asks about what it holds: answering
 *       a search's entries AUTHORIZED too made HAPI 8.8's walk of a Bundle holding a redacted copy
 *       fail (ConcurrentModificationException, ConsentScenariosIT).
 * </ul>
 */
final class ConsentService implements IConsentService {

  /** The request header carrying a break-glass justification (with purpose of use ETREAT). */
  static final String BREAK_GLASS_HEADER = "Break-Glass-Justification";

  /**
   * Extended operations whose results are filtered resource by resource like any read, and {@code
   * $erase}, a write that answers no patient data (administrators only; the erasure package).
   */
  private static final Set<String> OPERATIONS = Set.of("$everything", "$ledger-proof", "$erase");

  private final ConsentDecider decider;
  private final EpochLease lease;
  private final RequesterResolver requesters;
  private final FhirContext fhirContext;
  private final List<String> defaultPurposes;

  ConsentService(
      ConsentDecider decider,
      EpochLease lease,
      RequesterResolver requesters,
      FhirContext fhirContext,
      List<String> defaultPurposes) {
    this.decider = decider;
    this.lease = lease;
    this.requesters = requesters;
    this.fhirContext = fhirContext;
    this.defaultPurposes = List.copyOf(defaultPurposes);
  }

  @Override
  public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices services) {
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isEmpty()) {
      return reject("This request carries no access token to decide consent for");
    }
    RestOperationTypeEnum operation = request.getRestOperationType();
    switch (operation) {
      case READ, VREAD, SEARCH_TYPE, SEARCH_SYSTEM, GET_PAGE, HISTORY_INSTANCE -> {}
      case CREATE, UPDATE, PATCH, DELETE, TRANSACTION, BATCH, METADATA -> {}
      case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE -> {
        if (!OPERATIONS.contains(request.getOperation())) {
          return reject("The operation " + request.getOperation() + " is not consent-checked");
        }
      }
      case HISTORY_TYPE, HISTORY_SYSTEM ->
      // history pages are filtered after paging: short pages would count hidden versions
      {
        return reject(
            "Type and system history are not available while patients' Consents are enforced;"
                + " use instance history or a search");
      }
      default -> {
        return reject(
            "The interaction " + operation.getCode() + " is not available with consent checks");
      }
    }
    // the epoch is taken here, before the request writes anything: read inside its own write
    // transaction it could count that write, and the write's Consent would be cached before commit
    // (from memory while this instance's epoch lease holds)
    long epoch = lease.current();
    Requester requester;
    try {
      requester = requesters.resolve(identity.get(), epoch);
    } catch (IllegalArgumentException e) {
      return reject("The access token's fhirUser or organization is not a FHIR reference");
    }
    Set<String> purposes = new HashSet<>(identity.get().purposeOfUse());
    if (purposes.isEmpty()) {
      purposes.addAll(defaultPurposes);
    }
    new AccessContext(
            identity.get(), requester, purposes, request.getHeader(BREAK_GLASS_HEADER), epoch)
        .attachTo(request);
    return ConsentOutcome.PROCEED;
  }

  @Override
  public boolean shouldProcessCanSeeResource(
      RequestDetails request, IConsentContextServices services) {
    return true; // every request is decided; it also keeps HAPI from reusing cached searches
  }

  @Override
  public ConsentOutcome canSeeResource(
      RequestDetails request, IBaseResource resource, IConsentContextServices services) {
    AccessContext context = AccessContext.of(request);
    if (context == null) {
      return ConsentOutcome.REJECT; // startOperation did not run for this request: decide nothing
    }
    Decision decision = decider.decide(context, resource);
    // a permit proceeds, so that willSeeResource still sees the resource after paging
    return decision == null || decision.permitted()
        ? ConsentOutcome.PROCEED
        : ConsentOutcome.REJECT;
  }

  @Override
  public ConsentOutcome willSeeResource(
      RequestDetails request, IBaseResource resource, IConsentContextServices services) {
    AccessContext context = AccessContext.of(request);
    if (context == null) {
      return ConsentOutcome.REJECT;
    }
    if (ContainedResources.isContained(request, resource)) {
      return ConsentOutcome.PROCEED; // decided, and redacted, with the resource that contains it
    }
    Decision decision = decider.decide(context, resource);
    if (decision != null && !decision.permitted()) {
      return ConsentOutcome.REJECT;
    }
    IBaseResource shown = resource;
    if (decision != null && !decision.redactLabels().isEmpty()) {
      // partial access: a copy without the labelled content (HAPI shows the outcome's resource)
      try {
        shown = Redactor.redact(resource, decision);
      } catch (Redactor.NotRedactableException e) {
        return ConsentOutcome.REJECT; // what cannot be cut out is not shown at all
      }
    }
    if (decision != null && shown == resource && answersOneResource(request)) {
      // decided, contained resources included: HAPI need not walk it for nested resources
      return ConsentOutcome.AUTHORIZED;
    }
    // reference data, containers whose entries are decided one by one, a redacted copy, and the
    // entries of containers: HAPI walks them
    ContainedResources.remember(request, shown);
    return shown == resource
        ? ConsentOutcome.PROCEED
        : new ConsentOutcome(ConsentOperationStatusEnum.PROCEED, shown);
  }

  /** A read or vread: its response is the resource itself, not a container of resources. */
  static boolean answersOneResource(RequestDetails request) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    return operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD;
  }

  @Override
  public void completeOperationSuccess(RequestDetails request, IConsentContextServices services) {
    // nothing: AccessAudit records the request's decisions before its response is sent
  }

  @Override
  public void completeOperationFailure(
      RequestDetails request,
      BaseServerResponseException exception,
      IConsentContextServices services) {
    // nothing: AccessAudit records a failed request's decisions too (a denied read answers 404)
  }

  private ConsentOutcome reject(String message) {
    IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhirContext);
    OperationOutcomeUtil.addIssue(fhirContext, outcome, "error", message, null, "forbidden");
    return new ConsentOutcome(ConsentOperationStatusEnum.REJECT, outcome);
  }
}
