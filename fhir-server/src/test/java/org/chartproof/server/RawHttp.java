package org.chartproof.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP for the cases where the exact status, headers or bytes on the wire matter. */
final class RawHttp {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String baseUrl;

  RawHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> send(String method, String path, String contentType, BodyPublisher body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .method(method, body)
            .header("Content-Type", contentType)
            .header("Accept", "application/fhir+json"));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create(baseUrl + path);
  }
}
