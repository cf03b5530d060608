package org.chartproof.ledger.entry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Writing canonical JSON directly gives exactly what canonicalizing the same JSON gives. */
class CanonicalJsonTest {

  @Test
  void toJson_sortsMembersByUtf16CodeUnits_andEscapesAsJcs() throws Exception {
    CanonicalJson.Obj object =
        CanonicalJson.object()
            .put("\uFFFF", "last by UTF-16, before it by code point")
            .put("\uD83D\uDE00", "emoji: a surrogate pair sorts before U+FFFF")
            .put("b", "quote \" backslash \\ tab \t newline \n nul \u0000 é")
            .put("a", true)
            .put("C", -9007199254740992L)
            .put("nested", CanonicalJson.object().put("z", 1).put("y", false))
            .add("list", CanonicalJson.object().put("k", "1"))
            .add("list", CanonicalJson.object().put("k", "2"));

    String json = object.toJson();

    assertThat(json)
        .startsWith("{\"C\":-9007199254740992,\"a\":true,\"b\":\"quote \\\" backslash")
        .contains("\\u0000 é\"")
        .endsWith(
            "\"\uD83D\uDE00\":\"emoji: a surrogate pair sorts before U+FFFF\",\"\uFFFF\":"
                + "\"last by UTF-16, before it by code point\"}");
    assertThat(new String(JsonCanonicalizer.canonicalize(json), UTF_8)).isEqualTo(json);
    assertThat(object.toCanonicalBytes()).isEqualTo(json.getBytes(UTF_8));
  }

  @Test
  void fixedParts_areEmittedAsTheObjectsTheyWereRenderedFrom() throws Exception {
    CanonicalJson.Fixed coding =
        CanonicalJson.object().put("system", "s\"x").put("code", "c").fix();
    CanonicalJson.Obj built =
        CanonicalJson.object()
            .put("type", CanonicalJson.object().put("system", "s\"x").put("code", "c"))
            .add("list", CanonicalJson.object().put("k", "1"))
            .add("list", CanonicalJson.object().put("system", "s\"x").put("code", "c"));
    CanonicalJson.Obj fixed =
        CanonicalJson.object()
            .add("list", CanonicalJson.object().put("k", "1"))
            .add("list", coding)
            .put("type", coding);

    assertThat(fixed.toJson()).isEqualTo(built.toJson());
    assertThat(new String(JsonCanonicalizer.canonicalize(fixed.toJson()), UTF_8))
        .isEqualTo(fixed.toJson());
    assertThatThrownBy(() -> CanonicalJson.object().fix())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toJson_leavesOutNullAndEmptyValues_asFhirJsonDoes() {
    CanonicalJson.Obj object =
        CanonicalJson.object()
            .put("none", (String) null)
            .put("empty", "")
            .put("emptyObject", CanonicalJson.object())
            .add("emptyInArray", CanonicalJson.object().put("also", ""))
            .put("kept", "x");

    assertThat(object.toJson()).isEqualTo("{\"kept\":\"x\"}");
  }

  @Test
  void toJson_ofRandomObjects_isWhatTheCanonicalizerMakesOfThem() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      String json = randomObject(random, 0).toJson();

      assertThat(new String(JsonCanonicalizer.canonicalize(json), UTF_8)).isEqualTo(json);
    }
  }

  @Test
  void put_loneSurrogateOrHugeNumber_isRejected() {
    assertThatThrownBy(() -> CanonicalJson.object().put("s", "a\uD800b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lone surrogate");
    assertThatThrownBy(() -> CanonicalJson.object().put("n", (1L << 53) + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CanonicalJson.object().put("n", Long.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CanonicalJson.Obj randomObject(Random random, int depth) {
    CanonicalJson.Obj object = CanonicalJson.object();
    int members = 1 + random.nextInt(5);
    for (int i = 0; i < members; i++) {
      String name = randomText(random);
      switch (depth < 3 ? random.nextInt(5) : random.nextInt(3)) {
        case 0 -> object.put(name, randomText(random) + "v");
        case 1 -> object.put(name, random.nextBoolean());
        case 2 -> object.put(name, random.nextLong() >> 12);
        case 3 -> object.put(name, randomObject(random, depth + 1));
        default -> {
          object.add(name + "[]", randomObject(random, depth + 1));
          object.add(name + "[]", randomObject(random, depth + 1));
        }
      }
    }
    return object;
  }

  private static String randomText(Random random) {
    String alphabet = "aZ09 \"\\/\b\f\n\r\t\u0001\u001f\u007f\u00e9\u20ac\uFFFD\uD83D\uDE00";
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(6);
    for (int i = 0; i < length; i++) {
      int at = random.nextInt(alphabet.length());
      if (Character.isHighSurrogate(alphabet.charAt(at))) {
        text.append(alphabet, at, at + 2);
      } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
        text.append(alphabet.charAt(at));
      }
    }
    return text.toString();
  }
}
