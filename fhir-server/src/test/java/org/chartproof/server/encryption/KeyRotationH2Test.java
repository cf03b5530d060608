package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/** The same rotation SQL on H2, the embedded default's database. */
class KeyRotationH2Test {

  @TempDir Path dir;

  @Test
  void rotation_onH2_rewrapsEveryKey_andRetires() throws Exception {
    rotateAndRetire(
        "pkcs12", Pkcs12Keks.create(dir.resolve("kek.p12"), "pw".toCharArray(), "file"));
  }

  /** The same through an HSM: the new version generated in the token, the old one deleted there. */
  @Test
  void rotation_withSoftHsm_rewrapsEveryKey_andRetiresInTheToken() throws Exception {
    SoftHsm.Settings hsm = SoftHsm.token();
    Pkcs11Keks keks = Pkcs11Keks.open(hsm.token(), hsm.pin(), "pin");
    String old = rotateAndRetire("pkcs11", keks);
    assertThat(Pkcs11Keks.open(hsm.token(), hsm.pin(), "pin").versions()).doesNotContain(old);
  }

  /** Rotates 120 data keys and retires the old version; returns it. */
  private static String rotateAndRetire(String name, KeystoreKeks keks) throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:rotation-" + name + ";DB_CLOSE_DELAY=-1");
    new ResourceDatabasePopulator(
            new ClassPathResource("encryption/data-keys.sql"),
            new ClassPathResource("encryption/rotation.sql"))
        .execute(h2);
    JdbcTemplate jdbc = new JdbcTemplate(h2);
    String old = keks.activeVersion();
    Map<String, byte[]> expected = new HashMap<>();
    for (int i = 0; i < 120; i++) {
      byte[] raw = KeyTestCases.randomKey();
      jdbc.update(
          "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped, created_at)"
              + " VALUES (?, ?, ?, ?, ?)",
          "Patient/" + i,
          "key-" + i,
          keks.activeVersion(),
          keks.wrap(raw),
          Timestamp.from(Instant.now()));
      expected.put("Patient/" + i, raw);
    }
    try (KeyRotation rotation =
        new KeyRotation(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(h2)),
            keks,
            25,
            Clock.systemUTC())) {
      rotation.start();
      assertThat(rotation.awaitIdle(Duration.ofSeconds(30))).isTrue();
      RotationStatus done = rotation.status();
      assertThat(done.state()).isEqualTo("DONE");
      assertThat(done.done()).isEqualTo(120);
      assertThat(done.remaining()).isZero();
      assertThat(rotation.retire(old).state()).isEqualTo("RETIRED");
      assertThat(keks.versions()).doesNotContain(old);
    }
    for (Map<String, Object> row :
        jdbc.queryForList("SELECT compartment, kek_version, wrapped FROM cp_data_key")) {
      assertThat(keks.unwrap((String) row.get("kek_version"), (byte[]) row.get("wrapped")))
          .isEqualTo(expected.get((String) row.get("compartment")));
    }
    return old;
  }
}
