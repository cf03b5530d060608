package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.chartproof.server.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * KEK rotation on a real PostgreSQL, with reads and writes of data keys going on, a rotation
 * abandoned mid-way as in a crash and resumed by a new instance, then the old KEK retired.
 */
class KeyRotationTest {
  private static final int KEYS = 3000;
  private static final char[] PASSWORD = "rotation-test".toCharArray();

  private static EmbeddedPostgres postgres;
  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static TransactionTemplate transactions;

  @TempDir Path dir;

  @BeforeAll
  static void database() {
    postgres = TestPostgres.start();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.getPostgresDatabase());
    config.setMaximumPoolSize(8);
    dataSource = new HikariDataSource(config);
    jdbc = new JdbcTemplate(dataSource);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @AfterAll
  static void closePool() {
    dataSource.close();
  }

  @BeforeEach
  void tables() {
    jdbc.execute("DROP TABLE IF EXISTS cp_data_key");
    jdbc.execute("DROP TABLE IF EXISTS cp_key_rotation");
    ResourceDatabasePopulator tables =
        new ResourceDatabasePopulator(
            new ClassPathResource("encryption/data-keys.sql"),
            new ClassPathResource("encryption/rotation.sql"));
    tables.execute(dataSource);
    tables.execute(dataSource); // twice is harmless
  }

  private static void insert(
      KeyEncryptionKeys keks, String compartment, byte[] raw, Map<String, byte[]> expected) {
    String version = keks.activeVersion(); // the caller's order: version first, then wrap
    byte[] wrapped = keks.wrap(raw);
    jdbc.update(
        "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        compartment,
        UUID.randomUUID().toString(),
        version,
        wrapped,
        Timestamp.from(Instant.now()));
    expected.put(compartment, raw);
  }

  private static void fill(KeyEncryptionKeys keks, Map<String, byte[]> expected) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      byte[] raw = KeyTestCases.randomKey();
      String compartment = "Patient/p-%05d".formatted(i);
      rows.add(
          new Object[] {
            compartment,
            UUID.randomUUID().toString(),
            keks.activeVersion(),
            keks.wrap(raw),
            Timestamp.from(Instant.now())
          });
      expected.put(compartment, raw);
    }
    jdbc.batchUpdate(
        "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        rows);
  }

  /** The real KEKs, until the rotation's 1000th unwrap: then it hangs until interrupted. */
  private static final class CrashAfter implements KeyEncryptionKeys {
    private final KeyEncryptionKeys real;
    private final AtomicInteger unwraps = new AtomicInteger();
    final CountDownLatch reached = new CountDownLatch(1);

    CrashAfter(KeyEncryptionKeys real) {
      this.real = real;
    }

    @Override
    public byte[] unwrap(String version, byte[] wrapped) {
      if (unwraps.incrementAndGet() == 1000) {
        reached.countDown();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("simulated crash");
      }
      return real.unwrap(version, wrapped);
    }

    @Override
    public String activeVersion() {
      return real.activeVersion();
    }

    @Override
    public byte[] wrap(byte[] dataKey) {
      return real.wrap(dataKey);
    }

    @Override
    public String createVersion() {
      return real.createVersion();
    }

    @Override
    public void retire(String version) {
      real.retire(version);
    }

    @Override
    public List<String> versions() {
      return real.versions();
    }
  }

  @Test
  void rotation_underLoad_abandonedMidway_resumesInANewInstance_thenRetires() throws Exception {
    Pkcs12Keks keks = Pkcs12Keks.create(dir.resolve("kek.p12"), PASSWORD, "file");
    Map<String, byte[]> expected = new ConcurrentHashMap<>();
    fill(keks, expected);
    List<String> seeded = List.copyOf(expected.keySet());

    // load: two readers unwrap random rows, two writers add keys; no failure allowed
    AtomicBoolean loadOn = new AtomicBoolean(true);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicLong reads = new AtomicLong();
    AtomicLong writes = new AtomicLong();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      load.add(
          new Thread(
              () -> {
                while (loadOn.get()) {
                  String compartment =
                      seeded.get(ThreadLocalRandom.current().nextInt(seeded.size()));
                  try {
                    Map<String, Object> row =
                        jdbc.queryForMap(
                            "SELECT kek_version, wrapped FROM cp_data_key WHERE compartment = ?",
                            compartment);
                    byte[] raw =
                        keks.unwrap((String) row.get("kek_version"), (byte[]) row.get("wrapped"));
                    assertThat(raw).isEqualTo(expected.get(compartment));
                    reads.incrementAndGet();
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }
              }));
      int writer = t;
      load.add(
          new Thread(
              () -> {
                int n = 0;
                while (loadOn.get()) {
                  try {
                    insert(
                        keks,
                        "Patient/w-%d-%06d".formatted(writer, n++),
                        KeyTestCases.randomKey(),
                        expected);
                    writes.incrementAndGet();
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }
              }));
    }
    load.forEach(Thread::start);
    Thread.sleep(300);

    // the first instance starts rotating, and dies after 1000 data keys
    CrashAfter crashing = new CrashAfter(keks);
    KeyRotation first = new KeyRotation(jdbc, transactions, crashing, 25, Clock.systemUTC());
    RotationStatus started = first.start();
    assertThat(started.state()).isEqualTo("RUNNING");
    assertThat(started.fromVersion()).isEqualTo("kek-1");
    assertThat(started.toVersion()).isEqualTo("kek-2");
    assertThat(started.total()).isGreaterThanOrEqualTo(KEYS);
    assertThat(crashing.reached.await(60, TimeUnit.SECONDS)).isTrue();
    long readsBefore = reads.get();
    long writesBefore = writes.get();
    first.close();
    assertThat(first.awaitIdle(Duration.ofSeconds(10))).isTrue();
    RotationStatus abandoned = first.status();
    assertThat(abandoned.state()).isEqualTo("RUNNING");
    assertThat(abandoned.done()).isGreaterThan(0).isLessThan(abandoned.total());
    assertThat(abandoned.remaining()).isGreaterThan(0);
    // a second start on the abandoned instance does nothing
    first.resume();

    // a restarted server: the keystore read again from its file, a new rotation instance
    Pkcs12Keks reopened = Pkcs12Keks.open(dir.resolve("kek.p12"), PASSWORD, "password");
    assertThat(reopened.versions()).containsExactly("kek-1", "kek-2");
    KeyRotation second = new KeyRotation(jdbc, transactions, reopened, 25, Clock.systemUTC());
    RotationStatus resumedAt = second.status();
    assertThat(resumedAt.id()).isEqualTo(abandoned.id());
    second.resume();
    assertThat(second.awaitIdle(Duration.ofSeconds(120))).isTrue();
    Thread.sleep(200); // some more load after the rotation
    loadOn.set(false);
    for (Thread thread : load) {
      thread.join(10_000);
    }
    assertThat(failures).isEmpty();
    assertThat(reads.get()).isGreaterThan(readsBefore).isGreaterThan(100);
    assertThat(writes.get()).isGreaterThan(writesBefore).isGreaterThan(100);

    RotationStatus done = second.status();
    assertThat(done.state()).isEqualTo("DONE");
    assertThat(done.id()).isEqualTo(abandoned.id());
    assertThat(done.remaining()).isZero();
    assertThat(done.done()).isGreaterThanOrEqualTo(abandoned.total());

    // every row under kek-2, by its column and its wrapped header, and unwrapping to its key
    List<Map<String, Object>> rows =
        jdbc.queryForList("SELECT compartment, kek_version, wrapped FROM cp_data_key");
    assertThat(rows).hasSize(expected.size());
    for (Map<String, Object> row : rows) {
      byte[] wrapped = (byte[]) row.get("wrapped");
      assertThat(row.get("kek_version")).isEqualTo("kek-2");
      assertThat(KeystoreKeks.wrappedUnder(wrapped)).isEqualTo("kek-2");
      assertThat(reopened.unwrap("kek-2", wrapped))
          .isEqualTo(expected.get((String) row.get("compartment")));
    }

    // retirement: never the active version; the old one once nothing needs it
    assertThatThrownBy(() -> second.retire("kek-2"))
        .isInstanceOf(KeyRotation.ConflictException.class)
        .hasMessageContaining("active");
    RotationStatus retired = second.retire("kek-1");
    assertThat(retired.state()).isEqualTo("RETIRED");
    assertThat(retired.versions()).containsExactly("kek-2");
    assertThat(Pkcs12Keks.open(dir.resolve("kek.p12"), PASSWORD, "password").versions())
        .containsExactly("kek-2");
    second.close();
  }

  @Test
  void retire_isRefusedWhileDataKeysStillUseTheVersion() {
    Pkcs12Keks keks = Pkcs12Keks.create(dir.resolve("kek.p12"), PASSWORD, "file");
    Map<String, byte[]> expected = new ConcurrentHashMap<>();
    insert(keks, "Patient/a", KeyTestCases.randomKey(), expected);
    keks.createVersion(); // a new version without rotating
    try (KeyRotation rotation = new KeyRotation(jdbc, transactions, keks, 25, Clock.systemUTC())) {
      assertThat(rotation.status().state()).isEqualTo("NONE");
      assertThat(rotation.status().remaining()).isEqualTo(1);
      assertThatThrownBy(() -> rotation.retire("kek-1"))
          .isInstanceOf(KeyRotation.ConflictException.class)
          .hasMessageContaining("1 data keys are still wrapped under KEK kek-1");
      assertThat(keks.versions()).containsExactly("kek-1", "kek-2");
      assertThatThrownBy(() -> rotation.retire("kek-9"))
          .isInstanceOf(KeyRotation.ConflictException.class);
    }
  }

  @Test
  void keyWrittenAcrossVersionCreation_isRewrappedAndCountedAgainstItsRealVersion() {
    Pkcs12Keks keks = Pkcs12Keks.create(dir.resolve("kek.p12"), PASSWORD, "file");
    byte[] raw = KeyTestCases.randomKey();
    // the wrong order: wrapped under kek-1, then labelled with kek-2, active by then
    byte[] wrapped = keks.wrap(raw);
    String label = keks.createVersion();
    jdbc.update(
        "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped, created_at)"
            + " VALUES ('Patient/x', 'k', ?, ?, now())",
        label,
        wrapped);
    try (KeyRotation rotation = new KeyRotation(jdbc, transactions, keks, 25, Clock.systemUTC())) {
      assertThatThrownBy(() -> rotation.retire("kek-1"))
          .isInstanceOf(KeyRotation.ConflictException.class);
    }
  }
}
