package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.chartproof.server.ChartproofApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The server started in-process on 127.0.0.1 and a free port, on its own PostgreSQL database and
 * data directory, restartable; and just enough HTTP to talk to it.
 */
final class EncryptedServer implements AutoCloseable {

  final String database;
  final String jdbcUrl;
  final Path dataDir;
  private final List<String> settings;
  private ConfigurableApplicationContext context;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private EncryptedServer(String database, String jdbcUrl, Path dataDir, List<String> settings) {
    this.database = database;
    this.jdbcUrl = jdbcUrl;
    this.dataDir = dataDir;
    this.settings = settings;
  }

  /** Creates database {@code name} on {@code postgres} and starts the server on it. */
  static EncryptedServer start(
      EmbeddedPostgres postgres, String name, Path dataDir, String... settings)
      throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    EncryptedServer server =
        new EncryptedServer(
            name, postgres.getJdbcUrl("postgres", name), dataDir, List.of(settings));
    server.start();
    return server;
  }

  void start() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--chartproof.auth.mode=off",
                "--chartproof.storage.data-dir=" + dataDir,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password="));
    args.addAll(settings);
    context =
        new SpringApplicationBuilder(ChartproofApplication.class).run(args.toArray(String[]::new));
  }

  void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** JDBC on the server's database, independent of the server (as an attacker's would be). */
  JdbcTemplate jdbc() {
    DataSource ds = new DriverManagerDataSource(jdbcUrl, "postgres", "");
    return new JdbcTemplate(ds);
  }

  String base() {
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(120));
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    request.header("Content-Type", "application/fhir+json");
    request.header("Accept", "application/fhir+json");
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  /** Creates a resource (2xx required); returns its id. */
  String create(String type, String json) throws Exception {
    HttpResponse<String> response = send("POST", "/fhir/" + type, json);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    String location = response.headers().firstValue("Location").orElseThrow();
    return location.replaceAll(".*/" + type + "/([^/]+)/_history/.*", "$1");
  }
}
