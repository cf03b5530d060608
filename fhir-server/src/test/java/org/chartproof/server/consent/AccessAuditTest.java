package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.Duration;
import java.util.Set;
import org.chartproof.consent.Requester;
import org.chartproof.consent.Verdict;
import org.chartproof.server.audit.AccessDecision;
import org.chartproof.server.audit.AccessLog;
import org.chartproof.server.audit.AccessLogDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When a request stops holding up the access log's group commits: a read once its one resource is
 * decided, a search only when its response is about to be sent. The commit delay here is a minute,
 * so a commit that waits for the request cannot finish within the few seconds looked at.
 */
class AccessAuditTest {

  @RegisterExtension static final AccessLogDatabase database = new AccessLogDatabase();

  @Test
  void aRead_releasesTheCommitOnceItsResourceIsDecided_beforeItsResponse() throws Exception {
    try (AccessLog log = log()) {
      AccessAudit audit = new AccessAudit(log);
      SystemRequestDetails read = decided(RestOperationTypeEnum.READ);
      audit.begin(read);

      audit.afterBatch(read);
      assertThat(eventsWithin(Duration.ofSeconds(5)))
          .as("committed while the read still renders its response")
          .isEqualTo(1);
      audit.beforeResponse(read);
    }
  }

  @Test
  void aSearch_holdsTheCommitUntilItsResponse_moreBatchesCouldFollow() throws Exception {
    try (AccessLog log = log()) {
      AccessAudit audit = new AccessAudit(log);
      SystemRequestDetails search = decided(RestOperationTypeEnum.SEARCH_TYPE);
      audit.begin(search);

      audit.afterBatch(search);
      assertThat(eventsWithin(Duration.ofMillis(500))).as("waits for the search").isZero();
      audit.beforeResponse(search); // ends, then waits for the commit
      assertThat(eventsWithin(Duration.ZERO)).isEqualTo(1);
    }
  }

  private static AccessLog log() {
    return database.log(1, Duration.ofSeconds(10), Duration.ofMinutes(1));
  }

  /** A request under consent that has decided one permitted Observation of Patient/a. */
  private static SystemRequestDetails decided(RestOperationTypeEnum operation) {
    SystemRequestDetails request = new SystemRequestDetails();
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
