package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.chartproof.consent.Requester;
import org.chartproof.consent.Verdict;
import org.chartproof.server.audit.AccessDecision;
import org.chartproof.server.audit.AccessLog;
import org.chartproof.server.audit.AccessLogDatabase;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * When a request stops holding up the access log's group commits: a read once its one resource is
 * decided, a search only when its response is about to be sent. The commit delay here is a minute,
 * so a commit that waits for the request cannot finish within the few seconds looked at.
 */
class AccessAuditTest {

  @RegisterExtension static final AccessLogDatabase database = new AccessLogDatabase();
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void aRead_releasesTheCommitOnceItsResourceIsDecided_beforeItsResponse() throws Exception {
    try (AccessLog log = log()) {
      AccessAudit audit = new AccessAudit(log, FHIR);
      SystemRequestDetails read = decided(RestOperationTypeEnum.READ);
      audit.begin(read);

      audit.afterBatch(read);
      assertThat(eventsWithin(Duration.ofSeconds(5)))
          .as("committed while the read still renders its response")
          .isEqualTo(1);
      audit.beforeResponse(read, null);
    }
  }

  @Test
  void aSearch_holdsTheCommitUntilItsResponse_moreBatchesCouldFollow() throws Exception {
    try (AccessLog log = log()) {
      AccessAudit audit = new AccessAudit(log, FHIR);
      SystemRequestDetails search = decided(RestOperationTypeEnum.SEARCH_TYPE);
      audit.begin(search);

      audit.afterBatch(search);
      assertThat(eventsWithin(Duration.ofMillis(500))).as("waits for the search").isZero();
      audit.beforeResponse(search, null); // ends, then waits for the commit
      assertThat(eventsWithin(Duration.ZERO)).isEqualTo(1);
    }
  }

  @Test
  void aReadsBody_isEncodedWhileItsAccessCommits_andSentOnlyOnceCommitted() throws Exception {
    try (AccessLog log = log()) {
      AccessAudit audit = new AccessAudit(log, FHIR);
      ServletRequestDetails blocker = servletRequest(RestOperationTypeEnum.SEARCH_TYPE);
      audit.begin(blocker); // begun first and not done: the read's commit waits for it
      ServletRequestDetails read = heldRead(audit);

      SentBody sent = new SentBody();
      Writer body = audit.holdBody(sent, read);
      assertThat(body).as("the read's body is held").isNotNull();
      body.write("{\"resourceType\":\"Observation\"}");
      body.flush();
      CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> close(body));
      Thread.sleep(300);
      assertThat(sent.toString()).as("nothing sent while the commit waits").isEmpty();
      assertThat(closed).isNotDone();

      audit.completed(blocker);
      closed.get(10, TimeUnit.SECONDS);
      assertThat(sent.toString()).isEqualTo("{\"resourceType\":\"Observation\"}");
      assertThat(sent.eventsAtFirstWrite)
          .as("recorded before the first byte was sent")
          .isEqualTo(1);
      assertThat(sent.closed).isTrue();
    }
  }

  @Test
  void aHeldBody_whoseAccessCannotBeRecorded_isReplacedByAnError() throws Exception {
    try (AccessLog log = database.log(1, Duration.ofMillis(500), Duration.ofMinutes(1))) {
      AccessAudit audit = new AccessAudit(log, FHIR);
      ServletRequestDetails blocker = servletRequest(RestOperationTypeEnum.SEARCH_TYPE);
      audit.begin(blocker); // never ends: the read's commit does not come within the timeout
      ServletRequestDetails read = heldRead(audit);

      SentBody sent = new SentBody();
      Writer body = audit.holdBody(sent, read);
      body.write("{\"resourceType\":\"Observation\",\"id\":\"secret\"}");
      body.close();

      assertThat(sent.toString()).as("none of the body was sent").isEmpty();
      MockHttpServletResponse response = (MockHttpServletResponse) read.getServletResponse();
      assertThat(response.getStatus()).isEqualTo(500);
      OperationOutcome outcome =
          FHIR.newJsonParser().parseResource(OperationOutcome.class, response.getContentAsString());
      assertThat(outcome.getIssueFirstRep().getDiagnostics())
          .contains("could not be recorded in the access log");
      assertThat(response.getContentAsString()).doesNotContain("secret");
      audit.completed(blocker);
    }
  }

  @Test
  void responsesOtherThanReadsAndSearches_areNotHeld_theyWaitBeforeTheirResponse()
      throws Exception {
    try (AccessLog log = log()) {
      AccessAudit audit = new AccessAudit(log, FHIR);
      ServletRequestDetails binary = servletRequest(RestOperationTypeEnum.READ);
      audit.begin(binary);
      audit.afterBatch(binary);
      audit.beforeResponse(binary, new Binary()); // may be streamed as bytes: waits here
      assertThat(database.events()).isEqualTo(1);
      assertThat(audit.holdBody(new SentBody(), binary)).isNull();

      ServletRequestDetails create = servletRequest(RestOperationTypeEnum.CREATE);
      audit.begin(create);
      audit.beforeResponse(create, new Observation());
      assertThat(database.events()).isEqualTo(2);
      assertThat(audit.holdBody(new SentBody(), create)).isNull();
    }
  }

  /**
   * A read over HTTP that has decided its resource and reached its response: beforeResponse returns
   * without waiting, the body is to be held.
   */
  private static ServletRequestDetails heldRead(AccessAudit audit) {
    ServletRequestDetails read = servletRequest(RestOperationTypeEnum.READ);
    audit.begin(read);
    audit.afterBatch(read);
    audit.beforeResponse(read, new Observation());
    return read;
  }

  /** What reaches the servlet's writer, and how many events were committed when it first did. */
  private static final class SentBody extends StringWriter {
    Long eventsAtFirstWrite;
    boolean closed;

    @Override
    public void write(String text) {
      sending();
      super.write(text);
    }

    @Override
    public void write(String text, int offset, int length) {
      sending();
      super.write(text, offset, length);
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      sending();
      super.write(chars, offset, length);
    }

    private void sending() {
      if (eventsAtFirstWrite == null) {
        eventsAtFirstWrite = database.events();
      }
    }

    @Override
    public void close() throws IOException {
      closed = true;
      super.close();
    }
  }

  private static void close(Writer writer) {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AccessLog log() {
    return database.log(1, Duration.ofSeconds(10), Duration.ofMinutes(1));
  }

  /** A request over HTTP under consent that has decided one permitted Observation of Patient/a. */
  private static ServletRequestDetails servletRequest(RestOperationTypeEnum operation) {
    ServletRequestDetails request = new ServletRequestDetails();
    request.setServletResponse(new MockHttpServletResponse());
    return decided(request, operation);
  }

  /** A request under consent that has decided one permitted Observation of Patient/a. */
  private static SystemRequestDetails decided(RestOperationTypeEnum operation) {
    return decided(new SystemRequestDetails(), operation);
  }

  private static <R extends RequestDetails> R decided(R request, RestOperationTypeEnum operation) {
    request.setRestOperationType(operation);
    AccessContext context =
        new AccessContext(
            AccessLogDatabase.LAB,
            new Requester(null, "Organization/lab", "lab", Set.of(), Set.of()),
            Set.of("TREAT"),
            null,
            0);
    context.attachTo(request);
    AccessDecision permit =
        AccessLogDatabase.decision("Observation/1/_history/1", "Patient/a", Verdict.PERMIT);
    context.remember(permit.resource(), permit.decision(), permit.patients(), permit.consents());
    return request;
  }

  /** The events committed, once there are any or {@code within} has passed. */
  private static long eventsWithin(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long events = database.events();
      if (events > 0 || System.nanoTime() >= deadline) {
        return events;
      }
      Thread.sleep(20);
    }
  }
}
