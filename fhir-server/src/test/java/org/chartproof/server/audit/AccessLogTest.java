package org.chartproof.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chartproof.consent.Verdict;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The access log's group commit on a real PostgreSQL (no ledger: the IT covers that). */
class AccessLogTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  @RegisterExtension static final AccessLogDatabase database = new AccessLogDatabase();

  private static final AccessRequestInfo LAB =
      new AccessRequestInfo(AccessLogDatabase.LAB, Set.of("TREAT"), null, "read");

  private static AccessLog log(Duration timeout) {
    return log(4, timeout, Duration.ZERO);
  }

  private static AccessLog log(int writers, Duration timeout, Duration commitDelay) {
    return database.log(writers, timeout, commitDelay);
  }

  private static long events() {
    return database.events();
  }

  private static long commits() {
    return database
        .jdbc()
        .queryForObject("SELECT COUNT(DISTINCT xmin::text) FROM cp_access_audit", Long.class);
  }

  private static AccessDecision decision(String resource, String patient, Verdict verdict) {
    return AccessLogDatabase.decision(resource, patient, verdict);
  }

  @Test
  void record_isCommittedWhenItReturns_onePerPatient() throws Exception {
    try (AccessLog log = log(Duration.ofSeconds(10))) {
      log.record(
          LAB,
          List.of(
              decision("Observation/1/_history/1", "Patient/a", Verdict.PERMIT),
              decision("Observation/2/_history/3", "Patient/b", Verdict.DENY)));

      List<String> json =
          database
              .jdbc()
              .queryForList(
                  "SELECT event_json FROM cp_access_audit WHERE patient_id = 'b'", String.class);
      assertThat(json).hasSize(1);
      AuditEvent event = FHIR.newJsonParser().parseResource(AuditEvent.class, json.get(0));
      assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
      assertThat(event.getEntity().get(1).getWhat().getReference())
          .isEqualTo("Observation/2/_history/3");
      assertThat(events()).isEqualTo(2);
    }
  }

  @Test
  void record_concurrentRequestsShareCommits_andNoneIsLost() throws Exception {
    int requests = 400;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (AccessLog log = log(Duration.ofSeconds(30))) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        String resource = "Observation/" + i + "/_history/1";
        done.add(
            pool.submit(
                () -> log.record(LAB, List.of(decision(resource, "Patient/p", Verdict.PERMIT)))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(events()).isEqualTo(requests);
    // a commit per request would give every row its own transaction id
    assertThat(commits()).as("group commits").isLessThan(requests);
  }

  @Test
  void record_failsWhenItCannotBeCommitted() throws Exception {
    database.jdbc().execute("ALTER TABLE cp_access_audit RENAME TO cp_access_audit_away");
    try (AccessLog log = log(Duration.ofSeconds(10))) {
      assertThatThrownBy(
              () ->
                  log.record(
                      LAB,
                      List.of(decision("Observation/1/_history/1", "Patient/a", Verdict.PERMIT))))
          .isInstanceOf(AccessLogException.class);
    } finally {
      database.jdbc().execute("ALTER TABLE cp_access_audit_away RENAME TO cp_access_audit");
    }
  }

  @Test
  void aCommitWaitsForRequestsInProgress_andTheyShareIt() throws Exception {
    // the delay (a minute) is far longer than the commit timeout (5 s): the commit below can only
    // come in time because the second request ended
    try (AccessLog log = log(1, Duration.ofSeconds(5), Duration.ofMinutes(1))) {
      long first = log.begin();
      long second = log.begin();
      CompletableFuture<Void> firstCommit = readWhileAnotherIsInProgress(log, first);

      CompletableFuture<Void> secondCommit =
          log.submit(
              LAB, List.of(decision("Observation/2/_history/1", "Patient/b", Verdict.PERMIT)));
      log.end(second);
      log.await(List.of(firstCommit, secondCommit));
    }
    assertThat(events()).isEqualTo(2);
    assertThat(commits()).as("one shared commit").isEqualTo(1);
  }

  @Test
  void aRequestEndingWithNothingToRecord_releasesTheCommitWaitingForIt() throws Exception {
    try (AccessLog log = log(1, Duration.ofSeconds(5), Duration.ofMinutes(1))) {
      long reading = log.begin();
      long idle = log.begin();
      CompletableFuture<Void> commit = readWhileAnotherIsInProgress(log, reading);

      log.end(idle);
      log.end(idle); // again: nothing more happens
      log.await(List.of(commit));
    }
    assertThat(commits()).isEqualTo(1);
  }

  @Test
  void aRequestThatNeverEnds_holdsACommitNoLongerThanTheDelay() throws Exception {
    try (AccessLog log = log(1, Duration.ofSeconds(10), Duration.ofMillis(200))) {
      log.begin(); // a request that never submits nor ends
      long reading = log.begin();
      CompletableFuture<Void> commit = submitRead(log);
      log.end(reading);
      log.await(List.of(commit));
    }
    assertThat(events()).isEqualTo(1);
  }

  /**
   * The request of {@code ticket} records a read and ends while another request is in progress: its
   * commit waits (the delay of these tests far exceeds the 300 ms looked at).
   */
  private static CompletableFuture<Void> readWhileAnotherIsInProgress(AccessLog log, long ticket)
      throws InterruptedException {
    CompletableFuture<Void> commit = submitRead(log);
    log.end(ticket);
    Thread.sleep(300);
    assertThat(commit).as("waits for the request still in progress").isNotDone();
    return commit;
  }

  /** Submits the decision of one permitted read of Patient/a's Observation/1. */
  private static CompletableFuture<Void> submitRead(AccessLog log) {
    return log.submit(
        LAB, List.of(decision("Observation/1/_history/1", "Patient/a", Verdict.PERMIT)));
  }
}
