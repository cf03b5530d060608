package org.chartproof.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated command line.
 *
 * @param a target A, always present
 * @param b target B, or null to measure A alone
 * @param serverJar the server jar started for {@code --a-server}/{@code --b-server}, or null
 * @param warmupRounds full rounds run before the measured ones and left out of the summary
 * @param phases the phases each round runs, in {@link Phase} order
 * @param workDir where started servers run, or null for a new temp directory
 * @param json where to write the JSON figures, or null
 * @param token bearer token sent on every request, or null
 */
record Options(
    TargetSpec a,
    TargetSpec b,
    Path serverJar,
    int rounds,
    int warmupRounds,
    List<Phase> phases,
    Order order,
    int seconds,
    int warmupSeconds,
    int concurrency,
    int observationsPerPatient,
    int searchPatients,
    int startupTimeoutSeconds,
    Path workDir,
    Path json,
    String token) {

  /** Which target goes first in a round. */
  enum Order {
    /** A then B in every round. */
    AB,
    /** A then B in odd rounds, B then A in even rounds, so drift over the run cancels out. */
    ABBA
  }

  /**
   * How to reach one target: a running server's base URL, or arguments to start ours with.
   *
   * @param url FHIR base URL without trailing slash, or null when {@code serverArgs} is set
   * @param serverArgs arguments after the jar, or null when {@code url} is set
   */
  record TargetSpec(String label, String url, List<String> serverArgs) {
    boolean startsServer() {
      return serverArgs != null;
    }
  }

  private static final Set<String> NAMES =
      Set.of(
          "a",
          "b",
          "a-server",
          "b-server",
          "server-jar",
          "a-label",
          "b-label",
          "work-dir",
          "startup-timeout-seconds",
          "rounds",
          "warmup-rounds",
          "phases",
          "order",
          "seconds",
          "warmup-seconds",
          "concurrency",
          "observations-per-patient",
          "search-patients",
          "token",
          "token-file",
          "json");

  /**
   * Parses and validates the arguments.
   *
   * @throws UsageException naming the first problem, or {@link UsageException#help()} for {@code
   *     --help}
   */
  static Options parse(String[] args) throws UsageException {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw UsageException.help();
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "' (options start with --)");
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(2, eq) : arg.substring(2);
      if (!NAMES.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
      String value;
      if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("--" + name + " needs a value");
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    return build(values);
  }

  private static Options build(Map<String, String> values) throws UsageException {
    TargetSpec a = target(values, "a", "A");
    if (a == null) {
      throw new UsageException("a target is required: --a URL or --a-server \"ARGS\"");
    }
    TargetSpec b = target(values, "b", "B");
    if (b != null && b.label().equals(a.label())) {
      throw new UsageException("--a-label and --b-label must differ");
    }
    Path serverJar = null;
    if (a.startsServer() || (b != null && b.startsServer())) {
      String jar = values.get("server-jar");
      if (jar == null) {
        throw new UsageException("--a-server/--b-server need --server-jar PATH");
      }
      serverJar = Path.of(jar).toAbsolutePath();
      if (!Files.isRegularFile(serverJar)) {
        throw new UsageException("--server-jar: no such file " + serverJar);
      }
    }
    return new Options(
        a,
        b,
        serverJar,
        integer(values, "rounds", 3, 1),
        integer(values, "warmup-rounds", 1, 0),
        phases(values.get("phases")),
        order(values.getOrDefault("order", "ab")),
        integer(values, "seconds", 20, 1),
        integer(values, "warmup-seconds", 10, 0),
        integer(values, "concurrency", 8, 1),
        integer(values, "observations-per-patient", 5, 0),
        integer(values, "search-patients", 100, 1),
        integer(values, "startup-timeout-seconds", 180, 1),
        values.containsKey("work-dir") ? Path.of(values.get("work-dir")).toAbsolutePath() : null,
        values.containsKey("json") ? Path.of(values.get("json")) : null,
        token(values));
  }

  private static TargetSpec target(Map<String, String> values, String key, String defaultLabel)
      throws UsageException {
    String url = values.get(key);
    String serverArgs = values.get(key + "-server");
    String label = values.getOrDefault(key + "-label", defaultLabel).strip();
    if (label.isEmpty()) {
      throw new UsageException("--" + key + "-label must not be empty");
    }
    if (url != null && serverArgs != null) {
      throw new UsageException("give either --" + key + " or --" + key + "-server, not both");
    }
    if (url != null) {
      return new TargetSpec(label, baseUrl(key, url), null);
    }
    if (serverArgs != null) {
      List<String> split =
          Arrays.stream(serverArgs.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
      return new TargetSpec(label, null, split);
    }
    return null;
  }

  private static String baseUrl(String key, String url) throws UsageException {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
        throw new UsageException("--" + key + " must be an http(s) URL with a host: " + url);
      }
      if (uri.getQuery() != null || uri.getFragment() != null) {
        throw new UsageException("--" + key + " must be a base URL without query: " + url);
      }
    } catch (URISyntaxException e) {
      throw new UsageException("--" + key + " is not a URL: " + url);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static int integer(Map<String, String> values, String name, int fallback, int min)
      throws UsageException {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
    }
    if (value < min) {
      throw new UsageException("--" + name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** Comma-separated phase labels, run in {@link Phase} order whatever order they are given. */
  private static List<Phase> phases(String text) throws UsageException {
    if (text == null) {
      return List.of(Phase.values());
    }
    EnumSet<Phase> chosen = EnumSet.noneOf(Phase.class);
    for (String label : text.split(",")) {
      chosen.add(
          Arrays.stream(Phase.values())
              .filter(p -> p.label().equals(label.strip()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--phases: unknown phase '"
                              + label.strip()
                              + "' (known: creates, reads, search-no-cache, search-cached)")));
    }
    return List.copyOf(chosen);
  }

  private static Order order(String text) throws UsageException {
    return switch (text) {
      case "ab" -> Order.AB;
      case "abba" -> Order.ABBA;
      default -> throw new UsageException("--order must be ab or abba, got '" + text + "'");
    };
  }

  private static String token(Map<String, String> values) throws UsageException {
    String token = values.get("token");
    String file = values.get("token-file");
    if (token != null && file != null) {
      throw new UsageException("give either --token or --token-file, not both");
    }
    if (file != null) {
      try {
        token = Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new UsageException("--token-file: cannot read " + file + " (" + e + ")");
      }
    }
    if (token == null) {
      return null;
    }
    token = token.strip();
    if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
      throw new UsageException("the bearer token must be one non-empty word");
    }
    return token;
  }

  /**
   * The targets in the order round {@code round} (1-based) runs them.
   *
   * @param second target B's value, or null when there is no B
   */
  <T> List<T> inOrder(int round, T first, T second) {
    if (second == null) {
      return List.of(first);
    }
    return order == Order.ABBA && round % 2 == 0 ? List.of(second, first) : List.of(first, second);
  }
}
