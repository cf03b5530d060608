package org.chartproof.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A Chartproof server the harness started: {@code java -Xmx1g -jar JAR --server.port=<free>
 * --server.address=127.0.0.1 ARGS}, run in its own directory (so a relative default data directory
 * cannot be shared with the other target) with its output in a log file.
 */
final class ServerProcess {

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final int TAIL_LINES = 30;
  private static final Pattern STACK_FRAME =
      Pattern.compile("\\s+(at |\\.\\.\\. \\d+ (common frames omitted|more)).*");

  private final Process process;
  private final List<String> command;
  private final Path log;
  private final String baseUrl;

  private ServerProcess(Process process, List<String> command, Path log, String baseUrl) {
    this.process = process;
    this.command = command;
    this.log = log;
    this.baseUrl = baseUrl;
  }

  /**
   * Starts the server in {@code dir} (created if needed), logging to {@code dir/server.log}. Does
   * not wait for it; see {@link #awaitReady}.
   */
  static ServerProcess start(Path jar, List<String> args, Path dir) throws IOException {
    Files.createDirectories(dir);
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    command.addAll(args);
    Path log = dir.resolve("server.log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new ServerProcess(
        process, List.copyOf(command), log, "http://127.0.0.1:" + port + "/fhir");
  }

  String baseUrl() {
    return baseUrl;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  List<String> command() {
    return command;
  }

  /**
   * Waits until {@code GET metadata} answers 200.
   *
   * @throws IOException if the process exits or the timeout passes first; the message includes the
   *     tail of the server's log
   */
  void awaitReady(FhirHttp http, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IOException(
            "server exited with status " + process.exitValue() + " before answering; " + tail());
      }
      try {
        HttpResponse<byte[]> response = http.send(http.metadata(Duration.ofSeconds(5)));
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling until the deadline
      }
      Thread.sleep(500);
    }
    throw new IOException(
        "server did not answer GET metadata with 200 within "
            + timeout.toSeconds()
            + " s; "
            + tail());
  }

  /**
   * Stops the server: SIGTERM, then a forced kill if it has not exited after 20 s. Safe to call
   * more than once and from a shutdown hook.
   */
  synchronized void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The last lines of the log without stack frames, for a failure message: what remains of a Spring
   * startup failure is its chain of "Caused by" messages, which names the actual problem.
   */
  String tail() {
    try {
      // decoded leniently: a log is not guaranteed to be valid UTF-8
      List<String> lines =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
              .lines()
              .filter(line -> !STACK_FRAME.matcher(line).matches())
              .toList();
      List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
      return "last lines of " + log + " (stack frames omitted):\n" + String.join("\n", last);
    } catch (IOException e) {
      return "its log " + log + " is unreadable: " + e;
    }
  }

  // a race with another process taking the port is possible but rare; the start then fails loudly
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
