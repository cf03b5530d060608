package org.chartproof.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.chartproof.server.audit.AccessLog;
import org.chartproof.server.audit.AccessLogException;
import org.chartproof.server.audit.AccessRequestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every consent decision of a request to the {@link AccessLog}, and waits until it is
 * recorded, before the response is sent: after HAPI's consent interceptor has made its last
 * decisions on the outgoing response (this interceptor's order is later), or when the request fails
 * (a denied read answers 404 and is recorded as a denial). Decisions a search makes after its first
 * page was sent, on result batches not yet shown to anyone, are recorded without waiting. A
 * response whose decisions cannot be recorded is replaced by an error.
 *
 * <p>It tells the access log when a request under consent starts and when it has submitted its last
 * decisions before the response, so that commits can wait for requests in progress to share them
 * ({@link AccessLog#begin}).
 */
@Interceptor(order = AccessAudit.ORDER)
final class AccessAudit {

  /** After HAPI's consent (100) and authorization (200) interceptors. */
  static final int ORDER = 1000;

  private static final Logger log = LoggerFactory.getLogger(AccessAudit.class);
  private static final String SENT = AccessAudit.class.getName() + ".sent";
  private static final String COMMITS = AccessAudit.class.getName() + ".commits";
  private static final String TICKET = AccessAudit.class.getName() + ".ticket";

  private final AccessLog accessLog;

  AccessAudit(AccessLog accessLog) {
    this.accessLog = accessLog;
  }

  /**
   * After HAPI's consent interceptor started its operation (and made the access context). Once per
   * request: the entries of a bundle share their request's user data, and a second ticket would
   * replace the first, which would then never end.
   */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void begin(RequestDetails request) {
    if (AccessContext.of(request) != null && !request.getUserData().containsKey(TICKET)) {
      request.getUserData().put(TICKET, accessLog.begin());
    }
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public void beforeResponse(RequestDetails request) {
    AccessContext context = AccessContext.of(request);
    if (context == null) {
      return;
    }
    request.getUserData().put(SENT, Boolean.TRUE);
    try {
      submit(context, request);
      end(request);
      accessLog.await(commits(request));
    } catch (AccessLogException e) {
      throw new InternalErrorException(
          "The access could not be recorded in the access log, so it is not answered; try again",
          e);
    }
  }

  @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
  public boolean beforeErrorResponse(RequestDetails request) {
    AccessContext context = AccessContext.of(request);
    if (context != null && request.getUserData().put(SENT, Boolean.TRUE) == null) {
      try {
        submit(context, request);
        end(request);
        accessLog.await(commits(request));
      } catch (AccessLogException e) {
        // the error response carries no data; the failure is the log's to report
        log.error("Access log: the decisions of a failed request were not recorded");
      }
    }
    return true;
  }

  /** Whatever way the request ended, commits no longer wait for it. */
  @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
  public void completed(RequestDetails request) {
    end(request);
  }

  private void end(RequestDetails request) {
    if (request.getUserData().remove(TICKET) instanceof Long ticket) {
      accessLog.end(ticket);
    }
  }

  /**
   * After each batch of resources the consent interceptor decided before paging: the decisions go
   * to the access log at once, so that their commit overlaps the rest of the request, which waits
   * for it before its response. Batches a search loads after its first page was sent are recorded
   * without anyone waiting.
   *
   * <p>A read or vread has then decided the one resource it answers, so it ends here: commits stop
   * waiting for it while it renders its response. (Should it decide anything more, that is still
   * submitted and waited for before its response; ending only stops holding up others' commits.)
   */
  @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
  public void afterBatch(RequestDetails request) {
    AccessContext context = AccessContext.of(request);
    if (context == null) {
      return;
    }
    if (Boolean.TRUE.equals(request.getUserData().get(SENT))) {
      accessLog.recordLater(info(context, request), context.takeUnaudited());
    } else {
      submit(context, request);
      if (ConsentService.answersOneResource(request)) {
        end(request);
      }
    }
  }

  private void submit(AccessContext context, RequestDetails request) {
    CompletableFuture<Void> commit =
        accessLog.submit(info(context, request), context.takeUnaudited());
    if (commit != null) {
      commits(request).add(commit);
    }
  }

  /** The commits this request waits for before its response (user data: shared with bundles). */
  @SuppressWarnings("unchecked")
  private static List<CompletableFuture<Void>> commits(RequestDetails request) {
    return (List<CompletableFuture<Void>>)
        request
            .getUserData()
            .computeIfAbsent(COMMITS, k -> Collections.synchronizedList(new ArrayList<>()));
  }

  private static AccessRequestInfo info(AccessContext context, RequestDetails request) {
    return new AccessRequestInfo(
        context.identity,
        context.purposes,
        context.breakGlassJustification,
        interaction(request.getRestOperationType()));
  }

  private static String interaction(RestOperationTypeEnum operation) {
    if (operation == null) {
      return "operation";
    }
    return switch (operation) {
      case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_SERVER ->
          "operation";
      default -> operation.getCode();
    };
  }
}
