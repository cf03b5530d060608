package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs12KeksTest {
  private static final String SETTING = "chartproof.encryption.keystore.password";
  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("keys").resolve("kek.p12");
  }

  @Test
  void create_writesAnOwnerOnlyFileWithAFirstVersion() throws Exception {
    Pkcs12Keks keks = Pkcs12Keks.create(file(), PASSWORD, "chartproof.encryption.keystore.file");
    assertThat(keks.versions()).containsExactly("kek-1");
    assertThat(keks.activeVersion()).isEqualTo("kek-1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
    assertThat(dir.resolve("keys")).isDirectoryContaining(p -> p.equals(file()));
    try (var left = Files.list(dir.resolve("keys"))) {
      assertThat(left).containsExactly(file()); // no temporary file left behind
    }
  }

  @Test
  void wrapUnwrap_roundTrips_andEveryFlippedByteIsRejected() {
    KeyEncryptionKeys keks = Pkcs12Keks.create(file(), PASSWORD, SETTING);
    KeyTestCases.roundTripAndTamper(keks);
  }

  @Test
  void rotation_oldVersionStillUnwrapsUntilRetired_andRestartReloadsVersions() {
    Pkcs12Keks keks = Pkcs12Keks.create(file(), PASSWORD, SETTING);
    byte[] dataKey = KeyTestCases.randomKey();
    byte[] underOne = keks.wrap(dataKey);

    assertThat(keks.createVersion()).isEqualTo("kek-2");
    byte[] underTwo = keks.wrap(dataKey);
    assertThat(keks.activeVersion()).isEqualTo("kek-2");
    assertThat(keks.unwrap("kek-1", underOne)).isEqualTo(dataKey);
    assertThat(keks.unwrap("kek-2", underTwo)).isEqualTo(dataKey);

    Pkcs12Keks restarted = Pkcs12Keks.open(file(), PASSWORD, SETTING);
    assertThat(restarted.versions()).containsExactly("kek-1", "kek-2");
    assertThat(restarted.activeVersion()).isEqualTo("kek-2");
    assertThat(restarted.unwrap("kek-1", underOne)).isEqualTo(dataKey);

    assertThatThrownBy(() -> restarted.retire("kek-2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("active");
    restarted.retire("kek-1");
    assertThatThrownBy(() -> restarted.unwrap("kek-1", underOne))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("kek-1");
    restarted.retire("kek-1"); // idempotent

    Pkcs12Keks again = Pkcs12Keks.open(file(), PASSWORD, SETTING);
    assertThat(again.versions()).containsExactly("kek-2");
    assertThat(again.unwrap("kek-2", underTwo)).isEqualTo(dataKey);
    assertThatThrownBy(() -> again.unwrap("kek-1", underOne))
        .isInstanceOf(KeyUnavailableException.class);
    assertThat(again.createVersion()).isEqualTo("kek-3"); // numbers are never reused
  }

  @Test
  void open_wrongPassword_failsNamingTheSettingButNotThePassword() {
    Pkcs12Keks.create(file(), PASSWORD, SETTING);
    assertThatThrownBy(() -> Pkcs12Keks.open(file(), "guess".toCharArray(), SETTING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SETTING)
        .hasMessageContaining(file().toString())
        .hasMessageNotContaining("guess")
        .hasMessageNotContaining(new String(PASSWORD));
  }

  @Test
  void open_missingFile_failsNamingIt() {
    assertThatThrownBy(() -> Pkcs12Keks.open(file(), PASSWORD, SETTING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void open_aKeytoolStyleKeystore_usesItsEntries() throws Exception {
    // what an operator makes with: keytool -genseckey -alias chartproof-kek-7 -keyalg AES
    //   -keysize 256 -storetype PKCS12 -keystore kek.p12
    var store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, PASSWORD);
    var generator = javax.crypto.KeyGenerator.getInstance("AES");
    generator.init(256, new SecureRandom());
    store.setEntry(
        "chartproof-kek-7",
        new java.security.KeyStore.SecretKeyEntry(generator.generateKey()),
        new java.security.KeyStore.PasswordProtection(PASSWORD));
    store.setEntry(
        "something-else",
        new java.security.KeyStore.SecretKeyEntry(generator.generateKey()),
        new java.security.KeyStore.PasswordProtection(PASSWORD));
    Files.createDirectories(file().getParent());
    try (var out = Files.newOutputStream(file())) {
      store.store(out, PASSWORD);
    }
    Pkcs12Keks keks = Pkcs12Keks.open(file(), PASSWORD, SETTING);
    assertThat(keks.versions()).containsExactly("kek-7");
    assertThat(keks.createVersion()).isEqualTo("kek-8");
  }
}
