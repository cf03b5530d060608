package org.chartproof.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOfTheTextbookExample() {
    long[] sorted = {15, 20, 35, 40, 50};

    assertThat(Percentiles.nearestRank(sorted, 5)).isEqualTo(15);
    assertThat(Percentiles.nearestRank(sorted, 30)).isEqualTo(20);
    assertThat(Percentiles.nearestRank(sorted, 40)).isEqualTo(20);
    assertThat(Percentiles.nearestRank(sorted, 50)).isEqualTo(35);
    assertThat(Percentiles.nearestRank(sorted, 100)).isEqualTo(50);
  }

  @Test
  void rankIsExactAtBoundaries() {
    long[] oneToHundred = LongStream.rangeClosed(1, 100).toArray();

    assertThat(Percentiles.nearestRank(oneToHundred, 50)).isEqualTo(50);
    assertThat(Percentiles.nearestRank(oneToHundred, 95)).isEqualTo(95);
    assertThat(Percentiles.nearestRank(oneToHundred, 99)).isEqualTo(99);
    assertThat(Percentiles.nearestRank(oneToHundred, 99.5)).isEqualTo(100);

    long[] oneToThousand = LongStream.rangeClosed(1, 1000).toArray();
    assertThat(Percentiles.nearestRank(oneToThousand, 99.9)).isEqualTo(999);
  }

  @Test
  void aSingleSampleIsEveryPercentile() {
    assertThat(Percentiles.nearestRank(new long[] {7}, 1)).isEqualTo(7);
    assertThat(Percentiles.nearestRank(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void highPercentilesOfFewSamplesAreTheMaximum() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    assertThat(Percentiles.nearestRank(sorted, 95)).isEqualTo(10);
    assertThat(Percentiles.nearestRank(sorted, 99)).isEqualTo(10);
    assertThat(Percentiles.nearestRank(sorted, 90)).isEqualTo(9);
  }

  @Test
  void refusesEmptySamplesAndOutOfRangePercentiles() {
    assertThatThrownBy(() -> Percentiles.nearestRank(new long[0], 50))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 100.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
