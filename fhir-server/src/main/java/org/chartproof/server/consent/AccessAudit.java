package org.chartproof.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.chartproof.server.audit.AccessLog;
import org.chartproof.server.audit.AccessLogException;
import org.chartproof.server.audit.AccessRequestInfo;
import org.hl7.fhir.instance.model.api.IBaseBinary;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
 * <p>A read's or search's body is encoded while its decisions commit, into a {@link
 * HeldResponseWriter} that sends it only once they are: the commit overlaps the encoding instead of
 * preceding it.
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
  private static final String HOLD = AccessAudit.class.getName() + ".hold";
  private static final String NOT_RECORDED =
      "The access could not be recorded in the access log, so it is not answered; try again";

  /** Interactions whose responses are resources or Bundles encoded through HAPI's writer. */
  private static final Set<RestOperationTypeEnum> HELD =
      EnumSet.of(
          RestOperationTypeEnum.READ,
          RestOperationTypeEnum.VREAD,
          RestOperationTypeEnum.SEARCH_TYPE,
          RestOperationTypeEnum.SEARCH_SYSTEM,
          RestOperationTypeEnum.GET_PAGE,
          RestOperationTypeEnum.HISTORY_INSTANCE);

  private final AccessLog accessLog;
  private final FhirContext fhirContext;

  AccessAudit(AccessLog accessLog, FhirContext fhirContext) {
    this.accessLog = accessLog;
    this.fhirContext = fhirContext;
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

  /**
   * Submits the request's last decisions. A read's or search's body is then encoded while they
   * commit and held back until they are ({@link #holdBody}); any other response waits here.
   */
  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public void beforeResponse(RequestDetails request, IBaseResource response) {
    AccessContext context = AccessContext.of(request);
    if (context == null) {
      return;
    }
    request.getUserData().put(SENT, Boolean.TRUE);
    try {
      submit(context, request);
      end(request);
      if (canHoldBody(request, response)) {
        request.getUserData().put(HOLD, Boolean.TRUE);
        return;
      }
      accessLog.await(commits(request));
    } catch (AccessLogException e) {
      throw new InternalErrorException(NOT_RECORDED, e);
    }
  }

  /**
   * The writer HAPI encodes a held response into: the body goes out when HAPI closes it, once the
   * request's decisions are committed, or is replaced by an error if they cannot be. Returns null
   * (HAPI's writer unchanged) for responses {@link #beforeResponse} waited for itself.
   */
  @Hook(Pointcut.SERVER_OUTGOING_WRITER_CREATED)
  public Writer holdBody(Writer writer, RequestDetails request) {
    if (request.getUserData().remove(HOLD) == null) {
      return null;
    }
    HttpServletResponse servlet = ((ServletRequestDetails) request).getServletResponse();
    return new HeldResponseWriter(
        writer,
        new HeldResponseWriter.Release() {
          @Override
          public void awaitRecorded() {
            accessLog.await(commits(request));
          }

          @Override
          public void failed() throws IOException {
            log.error("Access log: a response was withheld, its decisions were not recorded");
            answerNotRecorded(servlet);
          }
        });
  }

  /**
   * Whether the response is a resource or Bundle that HAPI encodes through a writer ({@link
   * #holdBody}): reads and searches; a Binary may be streamed as raw bytes instead.
   */
  private static boolean canHoldBody(RequestDetails request, IBaseResource response) {
    return request instanceof ServletRequestDetails
        && response != null
        && !(response instanceof IBaseBinary)
        && HELD.contains(request.getRestOperationType());
  }

  /** The error a held response is replaced by; nothing of its body was sent. */
  private void answerNotRecorded(HttpServletResponse servlet) throws IOException {
    if (servlet.isCommitted()) {
      return; // cannot happen: the body was held, and HAPI writes nothing else
    }
    servlet.reset();
    servlet.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
    servlet.setContentType(Constants.CT_FHIR_JSON_NEW);
    servlet.setCharacterEncoding(Constants.CHARSET_NAME_UTF8);
    IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhirContext);
    OperationOutcomeUtil.addIssue(fhirContext, outcome, "error", NOT_RECORDED, null, "transient");
    try (Writer out = servlet.getWriter()) {
      fhirContext.newJsonParser().encodeResourceToWriter(outcome, out);
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
    if (request.getUserData().remove(HOLD) != null) {
      // HAPI answered without the writer the body was to be held in: it was not held back
      log.error("Access log: a response expected to be held until recorded was sent without");
    }
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
