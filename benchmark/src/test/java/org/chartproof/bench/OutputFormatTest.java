package org.chartproof.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFormatTest {

  @Test
  void jsonIsNestedEscapedAndHasNoNaN() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("text")
            .value("a \"quoted\"\\ line\nnext\u0001")
            .name("numbers")
            .values(new double[] {1.5, Double.NaN})
            .name("empty")
            .beginArray()
            .endArray()
            .name("nested")
            .beginObject()
            .name("n")
            .value(3L)
            .name("ok")
            .value(true)
            .endObject()
            .endObject()
            .toString();

    assertThat(json)
        .isEqualTo(
            """
            {
              "text": "a \\"quoted\\"\\\\ line\\nnext\\u0001",
              "numbers": [
                1.5,
                null
              ],
              "empty": [],
              "nested": {
                "n": 3,
                "ok": true
              }
            }""");
  }

  @Test
  void theTokenNeverReachesThePrintedCommandLine() {
    assertThat(
            CommandLine.redact(
                List.of("--a", "http://h/fhir", "--token", "secret", "--token=secret2")))
        .containsExactly("--a", "http://h/fhir", "--token", "***", "--token=***");
    assertThat(CommandLine.current(new String[] {"--token", "secret"}))
        .doesNotContain("secret")
        .endsWith("--token '***'");
  }

  @Test
  void launcherEndsAtTheJarOrMainClass() {
    assertThat(
            CommandLine.launcher(
                new String[] {"-Xmx64m", "-jar", "target/chartproof-bench.jar", "--a", "x"}))
        .containsExactly("-Xmx64m", "-jar", "target/chartproof-bench.jar");
    assertThat(CommandLine.launcher(new String[] {"-cp", "c", Bench.class.getName(), "--a"}))
        .containsExactly("-cp", "c", Bench.class.getName());
    assertThat(CommandLine.launcher(new String[] {"-cp", "c", "org.example.Other"}))
        .containsExactly("-jar", "chartproof-bench.jar");
  }

  @Test
  void shellQuotingOnlyWhereNeeded() {
    assertThat(CommandLine.quote("--a-server")).isEqualTo("--a-server");
    assertThat(CommandLine.quote("--x=1 --y=2")).isEqualTo("'--x=1 --y=2'");
    assertThat(CommandLine.quote("it's")).isEqualTo("'it'\\''s'");
  }

  @Test
  void sampleTakesDistinctIds() {
    String[] ids = {"1", "2", "3", "4", "5"};

    assertThat(PhaseSequence.sample(ids, 3)).hasSize(3).doesNotHaveDuplicates().isSubsetOf(ids);
    assertThat(PhaseSequence.sample(ids, 10)).containsExactlyInAnyOrder(ids);
    assertThat(ids).containsExactly("1", "2", "3", "4", "5");
  }

  @Test
  void missingFiguresPrintAsNa() {
    assertThat(TextReport.figure(Double.NaN, 2)).isEqualTo("n/a");
    assertThat(TextReport.figure(1234.567, 1)).isEqualTo("1234.6");
  }
}
