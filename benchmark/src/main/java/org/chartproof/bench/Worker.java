package org.chartproof.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client thread's view of a phase: sends requests until the deadline and records each
 * successful request's latency and each failure. Used by one thread only.
 */
final class Worker {

  private static final int MAX_DETAIL = 300;

  private final FhirHttp http;
  private final long deadline;
  private final LatencyLog latencies = new LatencyLog();
  private final Map<String, Long> errors = new TreeMap<>();
  private String firstError;

  Worker(FhirHttp http, long deadlineNanos) {
    this.http = http;
    this.deadline = deadlineNanos;
  }

  FhirHttp http() {
    return http;
  }

  /** True once the phase's time is up (or the thread was interrupted): start no more requests. */
  boolean expired() {
    return System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted();
  }

  /**
   * Sends the request. A 2xx response's latency is recorded; anything else (another status, an I/O
   * error or timeout) is counted as an error instead.
   *
   * @return the response if it was 2xx, else null
   */
  HttpResponse<byte[]> send(HttpRequest request) {
    long start = System.nanoTime();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request);
    } catch (IOException e) {
      // HttpClient's ConnectException has no message of its own; its cause says "Connection
      // refused"
      Throwable reason = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
      fail(e.getClass().getSimpleName(), describe(request) + " failed: " + reason);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the run is being stopped; not a server error
      return null;
    }
    long nanos = System.nanoTime() - start;
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String body = new String(response.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
      fail("HTTP " + status, describe(request) + " -> " + status + " " + shorten(body));
      return null;
    }
    latencies.add(nanos);
    return response;
  }

  /** Counts an error of the given kind; the first detail of a phase is kept for the report. */
  void fail(String kind, String detail) {
    errors.merge(kind, 1L, Long::sum);
    if (firstError == null) {
      firstError = shorten(detail);
    }
  }

  LatencyLog latencies() {
    return latencies;
  }

  Map<String, Long> errors() {
    return errors;
  }

  String firstError() {
    return firstError;
  }

  // the path only: the host adds nothing, and the harness's own ids are synthetic
  private static String describe(HttpRequest request) {
    String query = request.uri().getRawQuery();
    return request.method() + " " + request.uri().getRawPath() + (query == null ? "" : "?" + query);
  }

  private static String shorten(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }
}
