package org.chartproof.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds and sends the FHIR requests of the benchmark to one base URL over HTTP/1.1, with JSON
 * headers and, if configured, a bearer token on every request.
 */
final class FhirHttp {

  static final String FHIR_JSON = "application/fhir+json";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private final HttpClient client;
  private final String base;
  private final String authorization;

  /**
   * @param base FHIR base URL without trailing slash
   * @param token bearer token, or null
   */
  FhirHttp(String base, String token) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.base = base;
    this.authorization = token == null ? null : "Bearer " + token;
  }

  String base() {
    return base;
  }

  HttpRequest create(String type, String json) {
    return request(type)
        .header("Content-Type", FHIR_JSON)
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
  }

  HttpRequest read(String type, String id) {
    return request(type + "/" + id).GET().build();
  }

  /**
   * {@code Observation?subject=Patient/{id}&_count=10}; with {@code bypassCache} it carries {@code
   * Cache-Control: no-cache}, which makes HAPI search afresh instead of reusing a cached result.
   */
  HttpRequest searchObservations(String patientId, boolean bypassCache) {
    HttpRequest.Builder builder =
        request("Observation?subject=Patient/" + patientId + "&_count=10").GET();
    if (bypassCache) {
      builder.header("Cache-Control", "no-cache");
    }
    return builder.build();
  }

  HttpRequest metadata(Duration timeout) {
    return request("metadata").timeout(timeout).GET().build();
  }

  HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + "/" + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", FHIR_JSON);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  /**
   * The logical id in a create's {@code Location} header, such as {@code 123} in {@code
   * http://host/fhir/Patient/123/_history/1} (absolute or relative, with or without {@code
   * _history}).
   *
   * @return the id, or null when the header is absent, names another resource type, or holds no
   *     valid FHIR id
   */
  static String idFromLocation(String location, String type) {
    if (location == null) {
      return null;
    }
    String path = location.split("[?#]", 2)[0];
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    int history = segments.lastIndexOf("_history");
    int idIndex = history >= 0 ? history - 1 : segments.size() - 1;
    if (history >= 0 && history != segments.size() - 2) {
      return null; // _history must be followed by exactly one version id
    }
    if (idIndex < 1 || !segments.get(idIndex - 1).equals(type)) {
      return null;
    }
    String id = segments.get(idIndex);
    return FHIR_ID.matcher(id).matches() ? id : null;
  }
}
