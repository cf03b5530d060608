package org.chartproof.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Realistic patients from Synthea, generated once per checkout by ../shared/scripts/synthea.sh into
 * fhir-server/target/synthea (5 patients, seed 42, 2 years of history: deterministic).
 */
final class SyntheaData {
  private static final int PATIENTS = 5;
  private static final int SEED = 42;
  private static final int YEARS = 2;

  private SyntheaData() {}

  /**
   * Hospital and practitioner bundles first (patients reference them conditionally), then patients.
   */
  static synchronized List<Path> bundles() {
    Path out = FhirServerContract.repoRoot().resolve("fhir-server/target/synthea");
    Path fhir = out.resolve("fhir");
    if (!Files.exists(out.resolve(".complete"))) {
      generate(out);
    }
    try (Stream<Path> files = Files.list(fhir)) {
      List<Path> all = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      List<Path> ordered = new ArrayList<>();
      all.stream().filter(f -> name(f).startsWith("hospitalInformation")).forEach(ordered::add);
      all.stream().filter(f -> name(f).startsWith("practitionerInformation")).forEach(ordered::add);
      all.stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
      return ordered;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String name(Path file) {
    return file.getFileName().toString();
  }

  private static void generate(Path out) {
    Path root = FhirServerContract.repoRoot();
    Path script = root.resolve("../shared/scripts/synthea.sh").normalize();
    if (!Files.exists(script)) {
      throw new IllegalStateException(
          "Synthea script not found at " + script + " (../shared beside the checkout)");
    }
    try {
      // the script calls `mvn`; on a machine with only a JDK, our Maven wrapper stands in for it
      Path shim = Files.createDirectories(out.resolve("bin"));
      Path mvn = shim.resolve("mvn");
      Files.writeString(mvn, "#!/bin/sh\nexec \"" + root.resolve("mvnw") + "\" \"$@\"\n");
      mvn.toFile().setExecutable(true);
      ProcessBuilder builder =
          new ProcessBuilder(
                  "bash",
                  script.toString(),
                  out.toString(),
                  String.valueOf(PATIENTS),
                  String.valueOf(SEED),
                  String.valueOf(YEARS))
              .redirectErrorStream(true)
              .redirectOutput(out.resolve("synthea.log").toFile());
      builder.environment().merge("PATH", shim.toString(), (old, mine) -> mine + ":" + old);
      Process process = builder.start();
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "Synthea did not finish in 15 minutes; see " + out.resolve("synthea.log"));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("Synthea failed; see " + out.resolve("synthea.log"));
      }
      Files.writeString(out.resolve(".complete"), "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
