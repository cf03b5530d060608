package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The KEK source as the server configures it, and the startup errors of bad settings. */
class KeySourceConfigTest {

  @TempDir Path dir;

  private ApplicationContextRunner runner(String... properties) {
    return new ApplicationContextRunner()
        .withUserConfiguration(KeySourceConfig.class)
        .withPropertyValues("chartproof.storage.data-dir=" + dir)
        .withPropertyValues(properties);
  }

  private static String startupError(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    StringBuilder messages = new StringBuilder();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  @Test
  void embeddedDefault_createsKeystoreAndOwnerOnlyPasswordFile_andReopensThemOnRestart()
      throws Exception {
    byte[] dataKey = KeyTestCases.randomKey();
    byte[][] wrapped = new byte[1][];
    runner()
        .run(
            context -> {
              KeyEncryptionKeys keks = context.getBean(KeyEncryptionKeys.class);
              assertThat(keks).isInstanceOf(Pkcs12Keks.class);
              wrapped[0] = keks.wrap(dataKey);
            });
    Path file = dir.resolve("keys/kek.p12");
    Path passwordFile = dir.resolve("keys/kek.p12.password");
    assertThat(file).exists();
    assertThat(passwordFile).exists();
    assertThat(permissions(passwordFile)).isEqualTo("rw-------");
    assertThat(permissions(file)).isEqualTo("rw-------");
    runner()
        .run(
            context ->
                assertThat(context.getBean(KeyEncryptionKeys.class).unwrap("kek-1", wrapped[0]))
                    .isEqualTo(dataKey));
  }

  @Test
  void configuredKeystoreFileMissing_failsNamingTheSetting() {
    runner("chartproof.encryption.keystore.file=" + dir.resolve("nope.p12"))
        .run(
            context ->
                assertThat(startupError(context))
                    .contains("chartproof.encryption.keystore.file", "does not exist"));
  }

  @Test
  void wrongPassword_failsNamingTheSettingWithoutThePassword() {
    runner().run(context -> assertThat(context).hasNotFailed());
    runner("chartproof.encryption.keystore.password=hunter2-wrong")
        .run(
            context ->
                assertThat(startupError(context))
                    .contains("chartproof.encryption.keystore.password")
                    .doesNotContain("hunter2-wrong"));
  }

  @Test
  void pkcs11WithoutLibrary_failsNamingTheSetting() {
    runner("chartproof.encryption.key-source=pkcs11")
        .run(
            context ->
                assertThat(startupError(context)).contains("chartproof.encryption.pkcs11.library"));
  }

  @Test
  void pkcs11WithBothSlotSettings_failsNamingThem() {
    runner(
            "chartproof.encryption.key-source=pkcs11",
            "chartproof.encryption.pkcs11.library=/usr/lib/softhsm/libsofthsm2.so",
            "chartproof.encryption.pkcs11.slot=1",
            "chartproof.encryption.pkcs11.slot-list-index=0",
            "chartproof.encryption.pkcs11.pin=1234")
        .run(
            context ->
                assertThat(startupError(context))
                    .contains(
                        "chartproof.encryption.pkcs11.slot",
                        "chartproof.encryption.pkcs11.slot-list-index"));
  }

  @Test
  void pkcs11WithoutPin_failsNamingTheSetting() {
    runner(
            "chartproof.encryption.key-source=pkcs11",
            "chartproof.encryption.pkcs11.library=/usr/lib/softhsm/libsofthsm2.so",
            "chartproof.encryption.pkcs11.slot=1")
        .run(
            context ->
                assertThat(startupError(context)).contains("chartproof.encryption.pkcs11.pin"));
  }

  @Test
  void unknownKeySource_failsNamingTheSetting() {
    runner("chartproof.encryption.key-source=vault")
        .run(
            context ->
                assertThat(startupError(context)).contains("chartproof.encryption.key-source"));
  }

  @Test
  void rotationBatchSizeZero_failsNamingTheSetting() {
    runner("chartproof.encryption.rotation.batch-size=0")
        .run(
            context ->
                assertThat(startupError(context))
                    .contains("chartproof.encryption", "rotation.batchSize"));
  }

  @Test
  void pkcs11_softHsmToken_wrapsAndUnwraps() {
    SoftHsm.Settings hsm = SoftHsm.token();
    runner(
            "chartproof.encryption.key-source=pkcs11",
            "chartproof.encryption.pkcs11.library=" + hsm.token().library(),
            "chartproof.encryption.pkcs11.slot=" + hsm.token().slot(),
            "chartproof.encryption.pkcs11.pin=" + new String(hsm.pin()))
        .run(
            context -> {
              KeyEncryptionKeys keks = context.getBean(KeyEncryptionKeys.class);
              assertThat(keks).isInstanceOf(Pkcs11Keks.class);
              byte[] dataKey = KeyTestCases.randomKey();
              assertThat(keks.unwrap(keks.activeVersion(), keks.wrap(dataKey))).isEqualTo(dataKey);
            });
  }

  private static String permissions(Path path) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
