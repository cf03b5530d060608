package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.encryption.SealedBody.Binding;
import org.chartproof.server.erasure.PatientKeyShredder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shredder with its real collaborators (data keys in cp_data_key on PostgreSQL, the embedded
 * keystore), two "server instances" sharing the database.
 */
class KeyShredderTest {

  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static DataSource dataSource;
  private static DataSourceTransactionManager transactions;

  @TempDir static Path dir;

  @BeforeAll
  static void schema() {
    dataSource = POSTGRES.getPostgresDatabase();
    new ResourceDatabasePopulator(
            new ClassPathResource("encryption/data-keys.sql"),
            new ClassPathResource("encryption/bodies.sql"))
        .execute(dataSource);
    transactions = new DataSourceTransactionManager(dataSource);
  }

  private static DataKeys instance(Duration recheck) {
    KeyEncryptionKeys keks =
        Files.exists(dir.resolve("keks.p12"))
            ? KeySources.existingPkcs12(dir.resolve("keks.p12"), "test-password")
            : Pkcs12Keks.create(dir.resolve("keks.p12"), "test-password".toCharArray(), "test");
    TransactionTemplate newTransaction = new TransactionTemplate(transactions);
    newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    DataKeys keys =
        new DataKeys(
            new JdbcTemplate(dataSource),
            newTransaction,
            keks,
            new SecureRandom(),
            Clock.systemUTC(),
            100,
            recheck);
    keys.ensureEpochRow();
    return keys;
  }

  @Test
  void destroyPatientKey_bodiesNoLongerDecrypt_onThisAndEveryOtherInstance() throws Exception {
    DataKeys here = instance(Duration.ofMillis(200));
    DataKeys there = instance(Duration.ofMillis(200));
    DataKey key = here.forCompartment("Patient/p1", false);
    Binding binding = new Binding("Observation", "o1", 1, key.id());
    byte[] sealed =
        SealedBody.seal(key, binding, "{}".getBytes(StandardCharsets.UTF_8), new SecureRandom());
    // the other instance has the key cached
    assertThat(SealedBody.open(there.byId(key.id()), binding, sealed)).isNotEmpty();

    PatientKeyShredder shredder = new KeyShredder(here);
    new TransactionTemplate(transactions)
        .executeWithoutResult(status -> shredder.destroyPatientKey("p1"));

    Map<String, Object> row =
        new JdbcTemplate(dataSource)
            .queryForMap(
                "SELECT wrapped, kek_version, destroyed_at FROM cp_data_key WHERE key_id = ?",
                key.id());
    assertThat(row.get("wrapped")).isNull();
    assertThat(row.get("kek_version")).isNull();
    assertThat(row.get("destroyed_at")).isNotNull();
    assertThatThrownBy(() -> here.byId(key.id()))
        .isInstanceOf(DataKeyDestroyedException.class)
        .hasMessageContaining("destroyed")
        .isInstanceOf(KeyUnavailableException.class);
    Thread.sleep(250); // the other instance's recheck interval
    assertThatThrownBy(() -> there.byId(key.id())).isInstanceOf(DataKeyDestroyedException.class);
    // nothing new can be sealed for the erased patient
    assertThatThrownBy(() -> there.forCompartment("Patient/p1", false))
        .isInstanceOf(DataKeyDestroyedException.class);
    // idempotent
    shredder.destroyPatientKey("p1");
  }

  @Test
  void destroyPatientKey_rolledBack_keepsTheKey() {
    DataKeys keys = instance(Duration.ofSeconds(2));
    DataKey key = keys.forCompartment("Patient/p2", false);
    PatientKeyShredder shredder = new KeyShredder(keys);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              shredder.destroyPatientKey("p2");
              status.setRollbackOnly();
            });
    assertThat(keys.byId(key.id()).id()).isEqualTo(key.id());
  }

  @Test
  void destroyPatientKey_ofAPatientWithoutKey_preventsOneBeingMade() {
    DataKeys keys = instance(Duration.ofSeconds(2));
    new KeyShredder(keys).destroyPatientKey("p3");
    assertThatThrownBy(() -> keys.forCompartment("Patient/p3", false))
        .isInstanceOf(DataKeyDestroyedException.class);
  }

  @Test
  void destroyPatientKey_leavesOtherPatientsAndTheSystemKeyAlone() {
    DataKeys keys = instance(Duration.ofSeconds(2));
    DataKey other = keys.forCompartment("Patient/p5", false);
    DataKey system = keys.forCompartment(DataKeys.SYSTEM, false);
    new KeyShredder(keys).destroyPatientKey("p4");
    assertThat(keys.byId(other.id()).id()).isEqualTo(other.id());
    assertThat(keys.byId(system.id()).id()).isEqualTo(system.id());
  }

  @Test
  void destroyPatientKey_refusesAReference() {
    DataKeys keys = instance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> new KeyShredder(keys).destroyPatientKey("Patient/p6"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
