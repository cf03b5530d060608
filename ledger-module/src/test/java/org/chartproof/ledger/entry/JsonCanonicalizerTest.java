package org.chartproof.ledger.entry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the JSON case files cannot express: raw bytes, messages, offsets and stack depth. */
class JsonCanonicalizerTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "22c32822", // truncated two-byte sequence
        "22c0af22", // overlong encoding of '/'
        "22eda08022", // UTF-8 encoded lone surrogate U+D800
        "22f4908080", // beyond U+10FFFF
        "efbbbf7b7d", // byte order mark before {}
        "22ff22"
      })
  void canonicalize_malformedUtf8_rejects(String hex) {
    byte[] bytes = HexFormat.of().parseHex(hex);

    assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(bytes))
        .isInstanceOf(InvalidJsonException.class);
  }

  @Test
  void canonicalize_veryDeepNesting_rejectsWithoutStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);

    assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(deep))
        .isInstanceOf(InvalidJsonException.class)
        .hasMessageContaining("nesting");
  }

  @Test
  void canonicalize_rejection_neverEchoesContent() {
    String[] bad = {
      "{\"name\":\"Jane Doe\",\"name\":\"Jane Doe\"}",
      "{\"name\":\"Jane Doe\"} Jane Doe",
      "{\"name\":\"Jane Doe\\x\"}",
      "{\"name\":Jane Doe}",
      "{\"name\":\"Jane Doe\\ud800\"}"
    };
    for (String json : bad) {
      assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(json))
          .isInstanceOf(InvalidJsonException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Jane").doesNotContain("Doe"));
    }
  }

  @Test
  void canonicalize_rejection_reportsOffset() {
    assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("{\"a\":1,\"a\":2}"))
        .isInstanceOfSatisfying(
            InvalidJsonException.class, e -> assertThat(e.offset()).isEqualTo(7))
        .hasMessage("at offset 7: duplicate member name");
    assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("[1,2] x"))
        .isInstanceOfSatisfying(
            InvalidJsonException.class, e -> assertThat(e.offset()).isEqualTo(6));
  }

  @Test
  void canonicalize_differentSpellingsOfOneValue_giveOneForm() throws Exception {
    byte[] a = JsonCanonicalizer.canonicalize("{\"b\":[1.50,\"\\u00e9\"],\"a\":1e2}");
    byte[] b = JsonCanonicalizer.canonicalize(" { \"a\" : 100 , \"b\" : [ 15E-1 , \"\u00e9\" ] } ");

    assertThat(a).isEqualTo(b).isEqualTo("{\"a\":100,\"b\":[1.5,\"\u00e9\"]}".getBytes(UTF_8));
  }

  @Test
  void canonicalize_stringAndUtf8Input_agree() throws Exception {
    String json = "{\"\u00f6\":\"\ud83d\ude00\",\"a\":\"\\u20ac\"}";

    assertThat(JsonCanonicalizer.canonicalize(json.getBytes(UTF_8)))
        .isEqualTo(JsonCanonicalizer.canonicalize(json))
        .isEqualTo("{\"a\":\"\u20ac\",\"\u00f6\":\"\ud83d\ude00\"}".getBytes(UTF_8));
  }
}
