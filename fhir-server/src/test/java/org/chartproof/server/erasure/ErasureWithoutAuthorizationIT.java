package org.chartproof.server.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AuthTestKit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code chartproof.auth.mode=off} there are no administrators: {@code $erase} is refused
 * (403) and erases nothing, unless {@code chartproof.erasure.allow-without-authorization=true}.
 */
class ErasureWithoutAuthorizationIT {

  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void erase_withAuthorizationOff_isRefusedUnlessExplicitlyAllowed() throws Exception {
    Path dataDir = AuthTestKit.tempDir("chartproof-erasure-off");
    String refusedBody;
    try (ConfigurableApplicationContext server = start(dataDir, false)) {
      String fhir = base(server) + "/fhir";
      assertThat(send("PUT", fhir + "/Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}"))
          .isEqualTo(201);

      HttpResponse<String> refused = post(fhir + "/Patient/p1/$erase");

      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      refusedBody = refused.body();
      assertThat(send("GET", fhir + "/Patient/p1", null)).isEqualTo(200);
    }
    assertThat(refusedBody).contains("OperationOutcome").contains("administrator");

    try (ConfigurableApplicationContext server = start(dataDir, true)) {
      String fhir = base(server) + "/fhir";

      HttpResponse<String> erased = post(fhir + "/Patient/p1/$erase");

      assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
      assertThat(send("GET", fhir + "/Patient/p1", null)).isEqualTo(410);
    }
  }

  private static ConfigurableApplicationContext start(Path dataDir, boolean allow) {
    return new SpringApplicationBuilder(ChartproofApplication.class)
        .run(
            "--server.address=127.0.0.1",
            "--server.port=0",
            "--chartproof.auth.mode=off",
            "--chartproof.erasure.allow-without-authorization=" + allow,
            "--chartproof.storage.data-dir=" + dataDir,
            "--spring.datasource.url=" + POSTGRES.getJdbcUrl("postgres", "postgres"),
            "--spring.datasource.username=postgres",
            "--spring.datasource.password=");
  }

  private static String base(ConfigurableApplicationContext server) {
    return "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
  }

  private static HttpResponse<String> post(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Parameters\"}"))
            .header("Content-Type", "application/fhir+json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int send(String method, String url, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    request.header("Content-Type", "application/fhir+json");
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
