package org.chartproof.ledger.entry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.chartproof.ledger.JsonCases;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the RFC 8785 cases in {@code src/test/resources/jcs} (see its README.md): one JSON file per
 * case with {@code desc}, {@code input} and either {@code expected} or {@code wantErr}.
 */
class JcsVectorTest {

  static Path caseRoot() {
    try {
      return Path.of(JcsVectorTest.class.getResource("/jcs").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> cases() {
    return JsonCases.walk(caseRoot());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void canonicalize_case_matchesExpectedOrRejects(JsonNode c) throws Exception {
    String desc = c.get("desc").asText();
    String input = c.get("input").asText();
    if (c.path("wantErr").asBoolean()) {
      assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(input))
          .as(desc)
          .isInstanceOf(InvalidJsonException.class);
      if (JsonStrings.loneSurrogateIndex(input) < 0) {
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(input.getBytes(UTF_8)))
            .as(desc)
            .isInstanceOf(InvalidJsonException.class);
      }
      return;
    }
    byte[] expected = c.get("expected").asText().getBytes(UTF_8);

    assertThat(JsonCanonicalizer.canonicalize(input)).as(desc).isEqualTo(expected);
    assertThat(JsonCanonicalizer.canonicalize(input.getBytes(UTF_8))).as(desc).isEqualTo(expected);
    assertThat(JsonCanonicalizer.canonicalize(expected))
        .as("idempotent: " + desc)
        .isEqualTo(expected);
    if (c.has("ieee754")) {
      long bits = Long.parseUnsignedLong(c.get("ieee754").asText(), 16);
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(input))).as(desc).isEqualTo(bits);
    }
  }

  @Test
  void cases_arePresentWithBothOutcomes() {
    List<JsonNode> all = cases().map(a -> (JsonNode) ((Named<?>) a.get()[0]).getPayload()).toList();

    assertThat(all).hasSizeGreaterThan(100);
    assertThat(all).anyMatch(c -> c.path("wantErr").asBoolean());
    assertThat(all).anyMatch(c -> c.has("expected"));
    assertThat(all).allMatch(c -> c.has("desc") && c.has("input"));
    assertThat(all).allMatch(c -> c.has("expected") != c.path("wantErr").asBoolean());
  }
}
