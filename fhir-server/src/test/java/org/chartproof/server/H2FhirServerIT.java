package org.chartproof.server;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The FHIR contract on the embedded default: an H2 file database in a fresh directory. */
class H2FhirServerIT extends FhirServerContract {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws IOException {
    String dataDir = Files.createTempDirectory("chartproof-h2-it").toString();
    registry.add("chartproof.storage.data-dir", () -> dataDir);
  }
}
