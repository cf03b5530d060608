package org.chartproof.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

  @TempDir Path dir;

  @Test
  void defaultsWithOneUrl() throws Exception {
    Options options = Options.parse(new String[] {"--a", "http://127.0.0.1:8081/fhir/"});

    assertThat(options.a().url()).isEqualTo("http://127.0.0.1:8081/fhir");
    assertThat(options.a().label()).isEqualTo("A");
    assertThat(options.a().startsServer()).isFalse();
    assertThat(options.b()).isNull();
    assertThat(options.rounds()).isEqualTo(3);
    assertThat(options.warmupRounds()).isEqualTo(1);
    assertThat(options.order()).isEqualTo(Options.Order.AB);
    assertThat(options.seconds()).isEqualTo(20);
    assertThat(options.warmupSeconds()).isEqualTo(10);
    assertThat(options.concurrency()).isEqualTo(8);
    assertThat(options.observationsPerPatient()).isEqualTo(5);
    assertThat(options.startupTimeoutSeconds()).isEqualTo(180);
    assertThat(options.token()).isNull();
    assertThat(options.json()).isNull();
    assertThat(options.phases()).containsExactly(Phase.values());
  }

  @Test
  void phasesRunInPhaseOrderWhateverTheOrderGiven() throws Exception {
    Options options =
        Options.parse(
            new String[] {"--a", "http://127.0.0.1:8081/fhir", "--phases", "reads, creates"});

    assertThat(options.phases()).containsExactly(Phase.CREATES, Phase.READS);
  }

  @Test
  void unknownPhaseIsAUsageError() {
    assertThatThrownBy(
            () ->
                Options.parse(
                    new String[] {
                      "--a", "http://127.0.0.1:8081/fhir", "--phases", "creates,writes"
                    }))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown phase 'writes'");
  }

  @Test
  void serverTargetsSplitTheirArgumentsOnSpaces() throws Exception {
    Path jar = Files.createFile(dir.resolve("server.jar"));

    Options options =
        Options.parse(
            new String[] {
              "--server-jar",
              jar.toString(),
              "--a-server",
              "--chartproof.fhir.search-cache=60s  --x=1",
              "--b-server=--chartproof.fhir.search-cache=0s",
              "--a-label",
              "cache",
              "--b-label",
              "no-cache",
              "--rounds=5",
              "--order",
              "abba",
              "--seconds",
              "5",
              "--warmup-seconds",
              "0",
              "--warmup-rounds",
              "0",
            });

    assertThat(options.a().serverArgs())
        .containsExactly("--chartproof.fhir.search-cache=60s", "--x=1");
    assertThat(options.b().serverArgs()).containsExactly("--chartproof.fhir.search-cache=0s");
    assertThat(options.a().label()).isEqualTo("cache");
    assertThat(options.serverJar()).isEqualTo(jar.toAbsolutePath());
    assertThat(options.rounds()).isEqualTo(5);
    assertThat(options.warmupSeconds()).isZero();
    assertThat(options.warmupRounds()).isZero();
    assertThat(options.inOrder(1, "a", "b")).containsExactly("a", "b");
    assertThat(options.inOrder(2, "a", "b")).containsExactly("b", "a");
    assertThat(options.inOrder(3, "a", "b")).containsExactly("a", "b");
  }

  @Test
  void abOrderKeepsAFirstAndWithoutBOnlyA() throws Exception {
    Options options = Options.parse(new String[] {"--a", "http://h/fhir", "--b", "http://g/fhir"});

    assertThat(options.inOrder(2, "a", "b")).containsExactly("a", "b");
    assertThat(options.inOrder(2, "a", null)).isEqualTo(List.of("a"));
  }

  @Test
  void tokenFromAFileIsStripped() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "abc.def\n");

    Options options =
        Options.parse(new String[] {"--a", "http://h/fhir", "--token-file", file.toString()});

    assertThat(options.token()).isEqualTo("abc.def");
  }

  @Test
  void helpIsNotAnError() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--help"}))
        .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.helpRequested()).isTrue());
  }

  @Test
  void badArgumentsGiveAClearMessage() {
    assertUsage("a target is required", new String[] {});
    assertUsage("unknown option --speed", "--a", "http://h/fhir", "--speed", "3");
    assertUsage("--seconds needs a value", "--a", "http://h/fhir", "--seconds");
    assertUsage("--rounds must be a whole number", "--a", "http://h/fhir", "--rounds", "x");
    assertUsage("--concurrency must be at least 1", "--a", "http://h/fhir", "--concurrency", "0");
    assertUsage("--order must be ab or abba", "--a", "http://h/fhir", "--order", "ba");
    assertUsage("must be an http(s) URL", "--a", "ftp://h/fhir");
    assertUsage("must be an http(s) URL", "--a", "localhost:8080");
    assertUsage("either --a or --a-server", "--a", "http://h/fhir", "--a-server", "");
    assertUsage("need --server-jar", "--a-server", "--x=1");
    assertUsage("--server-jar: no such file", "--a-server", "", "--server-jar", "/nonexistent.jar");
    assertUsage("given twice", "--a", "http://h/fhir", "--a", "http://g/fhir");
    assertUsage("unexpected argument 'extra'", "--a", "http://h/fhir", "extra");
    assertUsage(
        "either --token or --token-file",
        "--a",
        "http://h/fhir",
        "--token",
        "t",
        "--token-file",
        "f");
    assertUsage(
        "--token-file: cannot read",
        "--a",
        "http://h/fhir",
        "--token-file",
        dir.resolve("missing").toString());
    assertUsage(
        "--a-label and --b-label must differ",
        "--a",
        "http://h/fhir",
        "--b",
        "http://g/fhir",
        "--b-label",
        "A");
  }

  private static void assertUsage(String message, String... args) {
    assertThatThrownBy(() -> Options.parse(args))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((UsageException) e).helpRequested()).isFalse());
  }
}
