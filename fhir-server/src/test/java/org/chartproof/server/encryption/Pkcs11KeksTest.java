package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Key;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Pkcs11Keks} against a real SoftHSM2 token. Tests share the token (SunPKCS11 configures a
 * library once per JVM), so they work with whatever versions earlier tests left.
 */
class Pkcs11KeksTest {
  private static final String PIN_SETTING = "chartproof.encryption.pkcs11.pin";
  private static SoftHsm.Settings hsm;

  @BeforeAll
  static void token() {
    hsm = SoftHsm.token();
  }

  @Test
  void wrapUnwrap_roundTrips_andEveryFlippedByteIsRejected() {
    KeyTestCases.roundTripAndTamper(Pkcs11Keks.open(hsm.token(), hsm.pin(), PIN_SETTING));
  }

  @Test
  void keys_areGeneratedInTheToken_sensitiveAndNotExtractable() throws Exception {
    Pkcs11Keks keks = Pkcs11Keks.open(hsm.token(), hsm.pin(), PIN_SETTING);
    String version = keks.createVersion();
    Key key = keks.keyStore().getKey(KeystoreKeks.ALIAS_PREFIX + version.substring(4), null);
    assertThat(key.getClass().getName()).startsWith("sun.security.pkcs11.");
    assertThat(key.getEncoded()).as("the key's bytes stay in the token").isNull();
    assertThat(key.toString()).contains("token object", "sensitive", "unextractable");
  }

  @Test
  void restart_reloadsVersions_andRetiredVersionIsGone() {
    Pkcs11Keks keks = Pkcs11Keks.open(hsm.token(), hsm.pin(), PIN_SETTING);
    byte[] dataKey = KeyTestCases.randomKey();
    String old = keks.activeVersion();
    byte[] underOld = keks.wrap(dataKey);
    String current = keks.createVersion();
    byte[] underCurrent = keks.wrap(dataKey);

    Pkcs11Keks restarted = Pkcs11Keks.open(hsm.token(), hsm.pin(), PIN_SETTING);
    assertThat(restarted.activeVersion()).isEqualTo(current);
    assertThat(restarted.versions()).contains(old, current);
    assertThat(restarted.unwrap(old, underOld)).isEqualTo(dataKey);

    assertThatThrownBy(() -> restarted.retire(current)).isInstanceOf(IllegalStateException.class);
    restarted.retire(old);
    assertThatThrownBy(() -> restarted.unwrap(old, underOld))
        .isInstanceOf(KeyUnavailableException.class);
    // another instance that still knew the old version finds it gone from the token
    assertThat(keks.unwrap(current, underCurrent)).isEqualTo(dataKey);
    assertThat(Pkcs11Keks.open(hsm.token(), hsm.pin(), PIN_SETTING).versions())
        .doesNotContain(old)
        .contains(current);
  }

  /**
   * Runs in a fresh JVM: PKCS#11 login state belongs to the process, so once any test logged in,
   * SunPKCS11 would not log in again and never see a wrong PIN.
   */
  @Test
  void open_wrongPin_failsNamingTheSettingButNotThePin() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WrongPin.class.getName(),
                hsm.token().library().toString(),
                String.valueOf(hsm.token().slot()),
                PIN_SETTING)
            .redirectErrorStream(true)
            .start();
    child.getOutputStream().write("0000-wrong\n".getBytes(StandardCharsets.UTF_8));
    child.getOutputStream().close();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out)
        .contains("REFUSED: ", PIN_SETTING)
        .doesNotContain("0000-wrong")
        .doesNotContain(new String(hsm.pin()));
  }

  /** Opens the token with the PIN read from stdin and prints how it went. */
  static final class WrongPin {
    public static void main(String[] args) throws Exception {
      String pin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
      try {
        Pkcs11Keks.open(
            new Pkcs11Keks.Token(Path.of(args[0]), Long.valueOf(args[1]), null),
            pin.toCharArray(),
            args[2]);
        System.out.println("OPENED");
      } catch (IllegalStateException e) {
        System.out.println("REFUSED: " + e.getMessage());
      }
    }
  }
}
