package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Two instances' epoch leases on one database, on a monotonic clock the test moves: a request takes
 * the epoch from memory while the lease holds and from the database once it has lapsed, and a write
 * answers only once every live instance has seen its epoch. (ConsentScenariosIT checks the same
 * with two servers over HTTP.)
 */
class EpochLeaseTest {

  private static final Duration REFRESH = Duration.ofMillis(100);
  private static final Duration LEASE = Duration.ofSeconds(2);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private ConsentEpochs epochs;
  private JdbcTemplate jdbc;

  @BeforeEach
  void database() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:epoch-lease-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    new ResourceDatabasePopulator(new ClassPathResource("consent/schema.sql")).execute(h2);
    jdbc = new JdbcTemplate(h2);
    epochs = new ConsentEpochs(jdbc);
  }

  @Test
  void whileTheLeaseHolds_theEpochComesFromMemory_onceItLapses_fromTheDatabase() {
    EpochLease lease = lease();
    lease.refresh(); // registers: what it read before its registration committed is not trusted
    jdbc.update("UPDATE cp_consent_epoch SET epoch = 5 WHERE id = 1");
    assertThat(lease.current()).isEqualTo(5);

    lease.refresh(); // trusted from here for the lease
    jdbc.update("UPDATE cp_consent_epoch SET epoch = 6 WHERE id = 1"); // no instance waited for
    assertThat(lease.current()).isEqualTo(5);
    clock.addAndGet(LEASE.minusMillis(1).toNanos());
    assertThat(lease.current()).isEqualTo(5);
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(lease.current()).isEqualTo(6);
  }

  @Test
  void aWrite_waitsUntilTheOtherInstanceHasSeenItsEpoch() throws Exception {
    EpochLease writer = lease();
    EpochLease reader = lease();
    for (EpochLease lease : new EpochLease[] {writer, reader, writer, reader}) {
      lease.refresh();
    }
    assertThat(reader.current()).isZero();

    long epoch = epochs.bump(Set.of("p1"));
    CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> writer.awaitSeen(epoch));
    Thread.sleep(300);
    // the writer knows its own epoch at once; the other instance has not refreshed yet
    assertThat(answered).isNotDone();
    assertThat(writer.current()).isEqualTo(epoch);
    assertThat(reader.current()).isZero();

    reader.refresh();
    answered.get(5, TimeUnit.SECONDS);
    assertThat(reader.current()).isEqualTo(epoch);
  }

  @Test
  void aSilentInstance_isWaitedForUntilItsLeaseHasLapsed_thenForgottenUntilItRegistersAgain()
      throws Exception {
    EpochLease writer = lease();
    EpochLease silent = lease();
    for (EpochLease lease : new EpochLease[] {writer, silent, writer, silent}) {
      lease.refresh();
    }

    long epoch = epochs.bump(Set.of("p1"));
    CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> writer.awaitSeen(epoch));
    Thread.sleep(300);
    clock.addAndGet(LEASE.toNanos()); // the silent instance's lease has lapsed, not the wait
    Thread.sleep(300);
    assertThat(answered).isNotDone();
    assertThat(silent.current()).as("a lapsed lease reads the database").isEqualTo(epoch);

    clock.addAndGet(REFRESH.toNanos());
    answered.get(5, TimeUnit.SECONDS);
    assertThat(epochs.instances()).hasSize(1);

    // back: its heartbeat finds it forgotten, it registers again and trusts nothing read before
    long later = epochs.bump(Set.of("p1"));
    silent.refresh();
    assertThat(epochs.instances()).hasSize(2);
    jdbc.update("UPDATE cp_consent_epoch SET epoch = ? WHERE id = 1", later + 1);
    assertThat(silent.current()).isEqualTo(later + 1);
    silent.refresh();
    jdbc.update("UPDATE cp_consent_epoch SET epoch = ? WHERE id = 1", later + 2);
    assertThat(silent.current()).as("trusted again, from memory").isEqualTo(later + 1);
  }

  @Test
  void close_unregisters_soThatWritesNoLongerWaitForTheInstance() {
    EpochLease writer = lease();
    EpochLease closed = lease();
    closed.refresh();
    closed.refresh();
    assertThat(epochs.instances()).hasSize(1);
    closed.close();
    assertThat(epochs.instances()).isEmpty();

    long epoch = epochs.bump(Set.of("p1"));
    writer.awaitSeen(epoch); // returns: there is nobody to wait for
    assertThat(writer.current()).isEqualTo(epoch);
  }

  private EpochLease lease() {
    return new EpochLease(
        epochs, TransactionOperations.withoutTransaction(), REFRESH, LEASE, clock::get);
  }
}
