package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's SoftHSM2 token for tests, set up by scripts/softhsm-setup.sh (which installs
 * Debian's softhsm2 when run as root). Surefire points SOFTHSM2_CONF at the token's configuration
 * under target/softhsm (fhir-server/pom.xml). Without SoftHSM a test fails under CI ({@code CI}
 * set) and is skipped with the reason otherwise.
 */
final class SoftHsm {

  private SoftHsm() {}

  record Settings(Pkcs11Keks.Token token, char[] pin) {}

  /** Runs the setup script (idempotent) and returns the token's settings. */
  static Settings token() {
    String conf = System.getenv("SOFTHSM2_CONF");
    String problem = null;
    Map<String, String> printed = new HashMap<>();
    if (conf == null) {
      problem = "SOFTHSM2_CONF is not set (surefire sets it; see fhir-server/pom.xml)";
    } else {
      Path script = Path.of("..", "scripts", "softhsm-setup.sh").toAbsolutePath().normalize();
      try {
        Process setup =
            new ProcessBuilder(script.toString(), Path.of(conf).getParent().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!setup.waitFor(300, TimeUnit.SECONDS) || setup.exitValue() != 0) {
          problem = script + " failed (is softhsm2 installed, or are we root?)";
        }
        for (String line : out.split("\n")) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            printed.put(line.substring(0, eq), line.substring(eq + 1).trim());
          }
        }
      } catch (IOException e) {
        problem = "cannot run " + script + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problem = "interrupted";
      }
    }
    if (problem != null) {
      if (System.getenv("CI") != null) {
        fail("SoftHSM2 is needed under CI: " + problem);
      }
      assumeTrue(false, "SoftHSM2 not available, PKCS#11 tests skipped: " + problem);
    }
    if (!Path.of(conf)
        .toAbsolutePath()
        .equals(Path.of(printed.get("SOFTHSM2_CONF")).toAbsolutePath())) {
      fail("the script set up " + printed.get("SOFTHSM2_CONF") + ", not " + conf);
    }
    return new Settings(
        new Pkcs11Keks.Token(
            Path.of(printed.get("CHARTPROOF_PKCS11_LIBRARY")),
            Long.valueOf(printed.get("CHARTPROOF_PKCS11_SLOT")),
            null),
        printed.get("CHARTPROOF_PKCS11_PIN").toCharArray());
  }

  static boolean exists(Path path) {
    return Files.exists(path);
  }
}
