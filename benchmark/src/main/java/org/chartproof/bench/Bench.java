package org.chartproof.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code chartproof-bench} command: measures one FHIR server, or two alternately, and prints
 * throughput, latency and B/A ratios. See {@link Usage#TEXT} and benchmark/README.md.
 *
 * <p>Exit status: 0 when every request succeeded, 1 when any failed (the figures are then not
 * valid), 2 for a usage error, 3 when a target could not be started or reached.
 */
public final class Bench {

  private static final int OK = 0;
  private static final int REQUESTS_FAILED = 1;
  private static final int USAGE = 2;
  private static final int SETUP_FAILED = 3;

  private final Options options;
  private final PrintStream out;
  private final List<ServerProcess> servers = new CopyOnWriteArrayList<>();
  private Path workDir;

  private Bench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args));
  }

  /** Runs the command and returns its exit status. */
  static int run(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (UsageException e) {
      if (e.helpRequested()) {
        System.out.print(Usage.TEXT);
        return OK;
      }
      System.err.println("chartproof-bench: " + e.getMessage());
      System.err.println();
      System.err.print(Usage.TEXT);
      return USAGE;
    }
    return new Bench(options, System.out).run(CommandLine.current(args));
  }

  private int run(String command) throws InterruptedException {
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Machine machine = Machine.current();
    out.println("Chartproof benchmark, " + started);
    out.println("command:  " + command);
    out.println("machine:  " + machine.describe());
    out.printf(
        Locale.ROOT,
        "settings: %d round(s) after %d warm-up round(s), order %s; per phase %d s warm-up then"
            + " %d s measured; concurrency %d; %d observations per patient; searches over %d"
            + " patients%n",
        options.rounds(),
        options.warmupRounds(),
        options.order().name().toLowerCase(Locale.ROOT),
        options.warmupSeconds(),
        options.seconds(),
        options.concurrency(),
        options.observationsPerPatient(),
        options.searchPatients());

    // Ctrl-C must not leave servers running; a normal end stops them first and this is a no-op
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopServers, "bench-stop-servers"));
    try {
      Target a = connect(options.a(), "a");
      Target b = options.b() == null ? null : connect(options.b(), "b");
      Results results = measure(a, b);
      return report(command, started, machine, a, b, results);
    } catch (IOException e) {
      System.err.println("chartproof-bench: " + e.getMessage());
      return SETUP_FAILED;
    } finally {
      stopServers();
    }
  }

  private Results measure(Target a, Target b) throws InterruptedException {
    TextReport text = new TextReport(a.label(), b == null ? null : b.label());
    PhaseSequence sequence = new PhaseSequence(options);
    Results results = new Results();
    for (int round = 1; round <= options.warmupRounds(); round++) {
      out.println();
      out.println(
          "warm-up round " + round + "/" + options.warmupRounds() + " (not in the summary)");
      results.add(round(round, true, options.inOrder(round, a, b), sequence, text));
    }
    for (int round = 1; round <= options.rounds(); round++) {
      out.println();
      out.println("round " + round + "/" + options.rounds());
      Results.Round measured = round(round, false, options.inOrder(round, a, b), sequence, text);
      results.add(measured);
      if (b != null) {
        List<PhaseResult> resultsA = measured.byLabel().get(a.label());
        List<PhaseResult> resultsB = measured.byLabel().get(b.label());
        for (int i = 0; i < options.phases().size(); i++) {
          out.println(text.ratioLine(a.label(), b.label(), resultsA.get(i), resultsB.get(i)));
        }
      }
    }
    return results;
  }

  private Results.Round round(
      int number, boolean warmup, List<Target> order, PhaseSequence sequence, TextReport text)
      throws InterruptedException {
    Map<String, List<PhaseResult>> byLabel = new HashMap<>();
    for (Target target : order) {
      byLabel.put(
          target.label(),
          sequence.run(target, r -> out.println(text.phaseLine(target.label(), r))));
    }
    return new Results.Round(number, warmup, order.stream().map(Target::label).toList(), byLabel);
  }

  private int report(
      String command, Instant started, Machine machine, Target a, Target b, Results results) {
    out.println();
    if (b == null) {
      out.println("summary over " + options.rounds() + " round(s): figures per round, median");
    } else {
      String ratio = b.label() + "/" + a.label();
      out.println(
          "summary over "
              + options.rounds()
              + " round(s): figures per round; median and range of the per-round "
              + ratio
              + " ratios (throughput above 1 = "
              + b.label()
              + " faster; latency above 1 = "
              + b.label()
              + " slower)");
    }
    out.print(
        TextReport.summary(
            a.label(),
            b == null ? null : b.label(),
            SummaryRow.of(
                options.phases(),
                results.measured(a.label()),
                b == null ? null : results.measured(b.label()))));

    int status = OK;
    if (options.json() != null) {
      try {
        Files.writeString(
            options.json(), JsonReport.render(command, started, machine, options, a, b, results));
        out.println("figures written to " + options.json().toAbsolutePath());
      } catch (IOException e) {
        System.err.println("chartproof-bench: cannot write " + options.json() + ": " + e);
        status = REQUESTS_FAILED;
      }
    }
    long errors = results.totalErrors();
    if (errors > 0) {
      String verdict =
          "!!! "
              + errors
              + " request(s) FAILED or phase(s) SKIPPED: these figures are NOT valid"
              + " (see the ERRORS lines above)";
      out.println();
      out.println(verdict);
      System.err.println(verdict);
      return REQUESTS_FAILED;
    }
    out.println("no errors");
    return status;
  }

  /** Reaches a given URL, or starts our server and waits until it answers. */
  private Target connect(Options.TargetSpec spec, String dirName)
      throws IOException, InterruptedException {
    if (!spec.startsServer()) {
      FhirHttp http = new FhirHttp(spec.url(), options.token());
      out.println(spec.label() + ": " + spec.url());
      checkMetadata(spec.label(), http);
      return new Target(spec.label(), http, null);
    }
    ServerProcess server =
        ServerProcess.start(options.serverJar(), spec.serverArgs(), workDir().resolve(dirName));
    servers.add(server);
    out.println(
        spec.label()
            + ": "
            + String.join(" ", server.command().stream().map(CommandLine::quote).toList()));
    out.println(" ".repeat(spec.label().length()) + "  log: " + server.log());
    FhirHttp http = new FhirHttp(server.baseUrl(), options.token());
    long start = System.nanoTime();
    server.awaitReady(http, Duration.ofSeconds(options.startupTimeoutSeconds()));
    out.printf(
        Locale.ROOT,
        "%s  ready at %s after %.0f s%n",
        " ".repeat(spec.label().length()),
        server.baseUrl(),
        (System.nanoTime() - start) / 1e9);
    return new Target(spec.label(), http, server);
  }

  private static void checkMetadata(String label, FhirHttp http)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(http.metadata(Duration.ofSeconds(30)));
    } catch (IOException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(label + ": GET " + http.base() + "/metadata failed: " + cause, e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          label + ": GET " + http.base() + "/metadata answered " + response.statusCode());
    }
  }

  private Path workDir() throws IOException {
    if (workDir == null) {
      workDir =
          options.workDir() != null
              ? Files.createDirectories(options.workDir())
              : Files.createTempDirectory("chartproof-bench-");
      out.println("work dir: " + workDir + " (server logs and data; delete it when done)");
    }
    return workDir;
  }

  private void stopServers() {
    for (ServerProcess server : servers) {
      if (server.alive()) {
        System.err.println("chartproof-bench: stopping the server logging to " + server.log());
        server.stop();
      }
    }
  }
}
