package org.chartproof.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The databases Chartproof runs on, each with the Hibernate dialect HAPI FHIR needs for it. */
public enum DatabaseDialect {
  H2("ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect"),
  POSTGRESQL("ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");

  private final String hibernateDialect;

  DatabaseDialect(String hibernateDialect) {
    this.hibernateDialect = hibernateDialect;
  }

  String hibernateDialect() {
    return hibernateDialect;
  }

  /**
   * Asks the database which product it is.
   *
   * @throws IllegalStateException if the database cannot be reached or is neither H2 nor
   *     PostgreSQL; the message says which settings to check
   */
  public static DatabaseDialect of(DataSource dataSource) {
    String product;
    try (Connection connection = dataSource.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot connect to the database; check spring.datasource.url, username and password", e);
    }
    String normalized = product.toLowerCase(Locale.ROOT);
    if (normalized.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (normalized.equals("h2")) {
      return H2;
    }
    throw new IllegalStateException(
        "Chartproof runs on H2 or PostgreSQL, but spring.datasource.url points at " + product);
  }
}
