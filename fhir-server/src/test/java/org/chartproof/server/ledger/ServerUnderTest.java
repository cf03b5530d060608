package org.chartproof.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chartproof.server.ChartproofApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The server started in-process on 127.0.0.1 and a free port, for tests that restart it. */
final class ServerUnderTest {

  private ServerUnderTest() {}

  /**
   * Starts the server with these settings as command-line arguments ({@code --key=value}), which
   * win over application.yaml as an operator's would.
   */
  static ConfigurableApplicationContext start(String... arguments) {
    // the ledger's tests; authorization has its own (SmartBackendServicesIT)
    List<String> args =
        new ArrayList<>(
            List.of("--server.address=127.0.0.1", "--server.port=0", "--chartproof.auth.mode=off"));
    args.addAll(List.of(arguments));
    return new SpringApplicationBuilder(ChartproofApplication.class)
        .run(args.toArray(String[]::new));
  }

  /** Just enough HTTP for these tests; every answer must be 2xx. */
  record Http(HttpClient client, String base) {
    Http(ConfigurableApplicationContext server) {
      this(
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
          "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port"));
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
      request.method(
          method,
          json == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(json));
      request.header("Content-Type", "application/fhir+json");
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
      return response;
    }

    String create(String json) throws Exception {
      String type = json.substring(json.indexOf(":\"") + 2, json.indexOf("\","));
      String location =
          send("POST", "/fhir/" + type, json).headers().firstValue("Location").orElseThrow();
      return location.replaceAll(".*/" + type + "/([^/]+)/_history/.*", "$1");
    }

    String get(String path) throws Exception {
      return send("GET", path, null).body();
    }

    /** The signed checkpoint once it covers {@code size} entries (bounded wait). */
    String awaitCheckpoint(long size) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        String note = get("/ledger/checkpoint");
        if (Long.parseLong(note.lines().skip(1).findFirst().orElseThrow()) >= size) {
          return note;
        }
        assertThat(System.nanoTime()).as("checkpoint never reached " + size).isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }
}
