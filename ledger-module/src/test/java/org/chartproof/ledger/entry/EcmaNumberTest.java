package org.chartproof.ledger.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EcmaNumberTest {

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void format_nonFinite_rejects(double value) {
    assertThatThrownBy(() -> EcmaNumber.format(value)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Lines of {@code jcs/es6-numbers.csv}: IEEE 754 bits in hex, then Node's JSON.stringify. */
  @Test
  void format_nodeGeneratedSample_matchesJsonStringify() throws IOException {
    List<String> lines = Files.readAllLines(JcsVectorTest.caseRoot().resolve("es6-numbers.csv"));
    assertThat(lines).hasSizeGreaterThan(5000);

    for (String line : lines) {
      String[] parts = line.split(",");
      double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
      assertThat(EcmaNumber.format(value)).as(parts[0]).isEqualTo(parts[1]);
    }
  }

  @Test
  void format_randomDoubles_readBackExactly() {
    Random random = new Random(8785);
    for (int i = 0; i < 20_000; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(value)) {
        String text = EcmaNumber.format(value);
        assertThat(Double.parseDouble(text)).as(text).isEqualTo(value == 0 ? 0.0 : value);
        assertThat(text.replaceAll("e.*|[-.]", "").replaceAll("^0+|0+$", "").length())
            .as("at most 17 significant digits: %s", text)
            .isLessThanOrEqualTo(17);
      }
    }
  }

  @Test
  void format_integersBelow2pow53_printAllDigits() {
    assertThat(EcmaNumber.format(1.0)).isEqualTo("1");
    assertThat(EcmaNumber.format(-42.0)).isEqualTo("-42");
    assertThat(EcmaNumber.format(0x1p53 - 1)).isEqualTo("9007199254740991");
    assertThat(EcmaNumber.format(1e15)).isEqualTo("1000000000000000");
  }
}
